import { ApiError } from '../http/api-error';

// A small OData v4 `$filter` parser: comparisons (eq ne gt ge lt le), `in (...)`, and/or,
// `startswith(field,'prefix')`, parentheses; string literals with '' doubling, numbers, booleans, null, datetimes.

export type ODataLiteral = string | number | boolean | null | { datetime: string };

export type ODataFilter =
  | { kind: 'compare'; field: string; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; value: ODataLiteral }
  | { kind: 'in'; field: string; values: ODataLiteral[] }
  | { kind: 'startswith'; field: string; prefix: string }
  | { kind: 'and' | 'or'; left: ODataFilter; right: ODataFilter };

interface Token {
  type: 'word' | 'string' | 'number' | 'datetime' | 'punct' | 'eof';
  text: string;
  pos: number;
}

const COMPARE_OPS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type CompareOp = (typeof COMPARE_OPS)[number];
const isCompareOp = (text: string): text is CompareOp => (COMPARE_OPS as readonly string[]).includes(text);

const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?/;

export function odataError(reason: string): ApiError {
  return new ApiError(400, 'ODataError', `The query specified in the URI is not valid. ${reason}`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const rest = text.slice(i);
    if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw odataError(`Unterminated string literal at position ${i}.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j += 1;
      }
      tokens.push({ type: 'string', text: value, pos: i });
      i = j + 1;
    } else if ('(),'.includes(c)) {
      tokens.push({ type: 'punct', text: c, pos: i });
      i += 1;
    } else if (DATETIME.test(rest)) {
      const match = DATETIME.exec(rest)?.[0] ?? '';
      tokens.push({ type: 'datetime', text: match, pos: i });
      i += match.length;
    } else if (/^-?\d/.test(rest)) {
      const match = /^-?\d+(\.\d+)?/.exec(rest)?.[0] ?? '';
      tokens.push({ type: 'number', text: match, pos: i });
      i += match.length;
    } else if (/^[A-Za-z_]/.test(rest)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)?.[0] ?? '';
      tokens.push({ type: 'word', text: match, pos: i });
      i += match.length;
    } else {
      throw odataError(`Syntax error at position ${i} in '$filter'.`);
    }
  }
  tokens.push({ type: 'eof', text: '', pos: text.length });
  return tokens;
}

/**
 * Parses `$filter`, resolving field names (case-insensitively) against `fields`,
 * the filterable properties of the entity.
 */
export function parseODataFilter(text: string, fields: readonly string[]): ODataFilter {
  const tokens = tokenize(text);
  let index = 0;
  const peek = (): Token => tokens[index];
  const next = (): Token => tokens[Math.min(index++, tokens.length - 1)];
  const isWord = (t: Token, word: string): boolean => t.type === 'word' && t.text.toLowerCase() === word;
  const fail = (t: Token): ApiError =>
    odataError(t.type === 'eof' ? "Unexpected end of '$filter'." : `Syntax error at position ${t.pos} in '$filter'.`);

  const fieldNamed = (t: Token): string => {
    const canonical = fields.find((f) => f.toLowerCase() === t.text.toLowerCase());
    if (!canonical) throw odataError(`Could not find a filterable property named '${t.text.slice(0, 64)}'.`);
    return canonical;
  };

  const field = (): string => {
    const t = next();
    if (t.type !== 'word') throw fail(t);
    if (peek().type === 'punct' && peek().text === '(') throw odataError(`Unknown function '${t.text.slice(0, 32)}'.`);
    return fieldNamed(t);
  };

  /** `startswith(field,'prefix')`, the one function Defender's own samples filter machines with. */
  const startsWith = (): ODataFilter => {
    next();
    expect('(');
    const t = next();
    if (t.type !== 'word') throw fail(t);
    const name = fieldNamed(t);
    expect(',');
    const prefix = next();
    if (prefix.type !== 'string') throw fail(prefix);
    expect(')');
    return { kind: 'startswith', field: name, prefix: prefix.text };
  };

  const literal = (): ODataLiteral => {
    const t = next();
    if (t.type === 'string') return t.text;
    if (t.type === 'number') return Number(t.text);
    if (t.type === 'datetime') return { datetime: t.text };
    if (isWord(t, 'true')) return true;
    if (isWord(t, 'false')) return false;
    if (isWord(t, 'null')) return null;
    throw fail(t);
  };

  const expect = (punct: string): void => {
    const t = next();
    if (t.type !== 'punct' || t.text !== punct) throw fail(t);
  };

  const primary = (): ODataFilter => {
    if (peek().type === 'punct' && peek().text === '(') {
      next();
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (isWord(peek(), 'startswith') && tokens[index + 1]?.type === 'punct' && tokens[index + 1].text === '(') return startsWith();
    const name = field();
    const opToken = next();
    const op = opToken.type === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'in') {
      expect('(');
      const values = [literal()];
      while (peek().type === 'punct' && peek().text === ',') {
        next();
        values.push(literal());
      }
      expect(')');
      return { kind: 'in', field: name, values };
    }
    if (isCompareOp(op)) return { kind: 'compare', field: name, op, value: literal() };
    throw fail(opToken);
  };

  // 'and' binds tighter than 'or'; both associate left.
  const chain = (kind: 'and' | 'or', operand: () => ODataFilter): ODataFilter => {
    let left = operand();
    while (isWord(peek(), kind)) {
      next();
      left = { kind, left, right: operand() };
    }
    return left;
  };
  const orExpr = (): ODataFilter => chain('or', () => chain('and', primary));

  const filter = orExpr();
  if (peek().type !== 'eof') throw fail(peek());
  return filter;
}

/** Evaluates a parsed filter on an entity. String equality ignores case, as Defender's store does. */
export function matchesODataFilter(filter: ODataFilter, entity: object): boolean {
  switch (filter.kind) {
    case 'and':
      return matchesODataFilter(filter.left, entity) && matchesODataFilter(filter.right, entity);
    case 'or':
      return matchesODataFilter(filter.left, entity) || matchesODataFilter(filter.right, entity);
    case 'startswith': {
      const value = propertyOf(entity, filter.field);
      return typeof value === 'string' && value.toLowerCase().startsWith(filter.prefix.toLowerCase());
    }
    case 'in':
      return filter.values.some((v) => compare(propertyOf(entity, filter.field), v) === 0);
    case 'compare': {
      const c = compare(propertyOf(entity, filter.field), filter.value);
      switch (filter.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c !== undefined && c > 0;
        case 'ge':
          return c !== undefined && c >= 0;
        case 'lt':
          return c !== undefined && c < 0;
        case 'le':
          return c !== undefined && c <= 0;
      }
    }
  }
}

function propertyOf(entity: object, field: string): unknown {
  return Object.entries(entity).find(([key]) => key === field)?.[1];
}

/** -1/0/1, or undefined when the values are not comparable. */
function compare(actual: unknown, literal: ODataLiteral): number | undefined {
  if (literal === null || actual === null || actual === undefined) {
    return (literal === null) === (actual === null || actual === undefined) ? 0 : undefined;
  }
  if (typeof literal === 'object') {
    const a = typeof actual === 'string' ? Date.parse(actual) : NaN;
    const b = Date.parse(literal.datetime);
    return Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.sign(a - b);
  }
  if (typeof literal === 'number') return typeof actual === 'number' ? Math.sign(actual - literal) : undefined;
  if (typeof literal === 'boolean') return actual === literal ? 0 : undefined;
  if (Array.isArray(actual)) return actual.some((v) => typeof v === 'string' && v.toLowerCase() === literal.toLowerCase()) ? 0 : undefined;
  if (typeof actual !== 'string') return typeof actual === 'number' && String(actual) === literal ? 0 : undefined;
  const a = actual.toLowerCase();
  const b = literal.toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}
