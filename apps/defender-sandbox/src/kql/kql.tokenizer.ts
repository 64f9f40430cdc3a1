import { KqlSyntaxError, preview } from './kql.error';

export type TokenType = 'ident' | 'int' | 'string' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** Identifier name, digits, punctuation, or the raw text of a string literal. */
  text: string;
  /** Decoded value of a string literal. */
  value?: string;
  verbatim?: boolean;
  pos: number;
}

const ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };
const PUNCT_2 = ['==', '=~', '!='];
const PUNCT_1 = ['|', '(', ')', ',', '*', '='];

const isIdentStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string): boolean => /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i += 1;
      continue;
    }
    const start = i;
    if (c === '@' && (query[i + 1] === "'" || query[i + 1] === '"')) {
      const lit = readVerbatim(query, i);
      tokens.push(lit.token);
      i = lit.end;
    } else if (c === "'" || c === '"') {
      const lit = readEscaped(query, i);
      tokens.push(lit.token);
      i = lit.end;
    } else if (isIdentStart(c)) {
      while (i < query.length && isIdentPart(query[i])) i += 1;
      let text = query.slice(start, i);
      // `in~` is one operator token.
      if (text === 'in' && query[i] === '~') {
        text = 'in~';
        i += 1;
      }
      tokens.push({ type: 'ident', text, pos: start });
    } else if (isDigit(c)) {
      while (i < query.length && isDigit(query[i])) i += 1;
      if (i < query.length && (isIdentPart(query[i]) || query[i] === '.')) {
        throw new KqlSyntaxError(`unsupported numeric literal '${preview(query.slice(start, i + 1))}'`, start);
      }
      tokens.push({ type: 'int', text: query.slice(start, i), pos: start });
    } else {
      const two = query.slice(i, i + 2);
      if (PUNCT_2.includes(two)) {
        tokens.push({ type: 'punct', text: two, pos: start });
        i += 2;
      } else if (PUNCT_1.includes(c)) {
        tokens.push({ type: 'punct', text: c, pos: start });
        i += 1;
      } else {
        throw new KqlSyntaxError(`unexpected character '${preview(c)}'`, start);
      }
    }
  }
  tokens.push({ type: 'eof', text: '', pos: query.length });
  return tokens;
}

function readEscaped(query: string, start: number): { token: Token; end: number } {
  const quote = query[start];
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const c = query[i];
    if (c === quote) {
      return { token: { type: 'string', text: query.slice(start, i + 1), value, verbatim: false, pos: start }, end: i + 1 };
    }
    if (c === '\r' || c === '\n') throw new KqlSyntaxError('line break inside a string literal', i);
    if (c === '\\') {
      const next = query[i + 1];
      const decoded = next === undefined ? undefined : ESCAPES[next];
      if (decoded === undefined) {
        throw new KqlSyntaxError(`invalid escape sequence '\\${preview(next ?? '')}' in string literal`, i);
      }
      value += decoded;
      i += 2;
      continue;
    }
    value += c;
    i += 1;
  }
  throw new KqlSyntaxError('unterminated string literal', start);
}

function readVerbatim(query: string, start: number): { token: Token; end: number } {
  const quote = query[start + 1];
  let value = '';
  let i = start + 2;
  while (i < query.length) {
    const c = query[i];
    if (c === quote) {
      // A doubled quote is one literal quote character.
      if (query[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { token: { type: 'string', text: query.slice(start, i + 1), value, verbatim: true, pos: start }, end: i + 1 };
    }
    if (c === '\r' || c === '\n') throw new KqlSyntaxError('line break inside a string literal', i);
    value += c;
    i += 1;
  }
  throw new KqlSyntaxError('unterminated string literal', start);
}
