/** A query the sandbox's KQL subset cannot parse (→ 400 "Query could not be parsed: …"). */
export class KqlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} (at position ${position})`);
    this.name = 'KqlSyntaxError';
  }
}

/** A well-formed query that cannot run (unknown table/column, type mismatch), worded like Kusto. */
export class KqlSemanticError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KqlSemanticError';
  }
}

/** Shortens user text quoted in an error so nothing is echoed unbounded. */
export function preview(text: string, max = 24): string {
  const oneLine = text.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
