// A raw CR/LF is not allowed inside a KQL literal (docs/hunting-queries.md).
export function kqlString(value: string): string {
  const escaped = value.replace(/[\\'\r\n\t]/g, (c) => KQL_ESCAPES[c]);
  return `'${escaped}'`;
}

const KQL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\r': '\\r', '\n': '\\n', '\t': '\\t' };

export function kqlList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

export function kqlInt(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a row count: ${n}`);
  return String(n);
}
