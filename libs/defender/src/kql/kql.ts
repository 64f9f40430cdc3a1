/**
 * A KQL single-quoted string literal: backslash and quote are escaped, and line breaks
 * and tabs become escape sequences, because a raw CR/LF is not allowed inside a literal.
 * See docs/hunting-queries.md.
 */
export function kqlString(value: string): string {
  const escaped = value.replace(/[\\'\r\n\t]/g, (c) => KQL_ESCAPES[c]);
  return `'${escaped}'`;
}

const KQL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\r': '\\r', '\n': '\\n', '\t': '\\t' };

/** `('a', 'b')` for `in (...)`. */
export function kqlList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

/** A non-negative integer for `top N` / `take N`, formatted by the relay itself. */
export function kqlInt(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a row count: ${n}`);
  return String(n);
}
