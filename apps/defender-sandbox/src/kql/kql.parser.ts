import {
  CompareOperator,
  Condition,
  KqlQuery,
  Pipeline,
  PipelineOperator,
  StringLiteral,
} from './kql.ast';
import { KqlSyntaxError, preview } from './kql.error';
import { Token, tokenize } from './kql.tokenizer';

const COMPARE_OPERATORS: readonly CompareOperator[] = ['==', '=~', '!=', 'has', 'contains', 'startswith', 'endswith'];
const isCompareOperator = (text: string): text is CompareOperator => (COMPARE_OPERATORS as readonly string[]).includes(text);
/** Largest row count accepted by `top`/`take`/`limit` (Defender caps results at 100,000 rows). */
const MAX_COUNT = 100_000;

/** Parses exactly the grammar of docs/hunting-queries.md; anything else throws KqlSyntaxError. */
export function parseKql(query: string): KqlQuery {
  return new KqlParser(tokenize(query)).parseQuery();
}

class KqlParser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): KqlQuery {
    if (this.peekIdent('union')) {
      this.next();
      const pipelines = [this.parseParenthesisedPipeline()];
      while (this.peekPunct(',')) {
        this.next();
        pipelines.push(this.parseParenthesisedPipeline());
      }
      this.expectEnd();
      return { kind: 'union', pipelines };
    }
    const pipeline = this.parsePipeline();
    this.expectEnd();
    return pipeline;
  }

  private parseParenthesisedPipeline(): Pipeline {
    this.expectPunct('(');
    const pipeline = this.parsePipeline();
    this.expectPunct(')');
    return pipeline;
  }

  private parsePipeline(): Pipeline {
    const table = this.expectName('a table name');
    const operators: PipelineOperator[] = [];
    while (this.peekPunct('|')) {
      this.next();
      operators.push(this.parseOperator());
    }
    return { kind: 'pipeline', table, operators };
  }

  private parseOperator(): PipelineOperator {
    const token = this.next();
    if (token.type !== 'ident') throw this.unexpected(token, 'an operator');
    switch (token.text) {
      case 'where':
        return { kind: 'where', condition: this.parseCondition() };
      case 'top': {
        const count = this.expectCount();
        this.expectKeyword('by');
        const by = this.expectName('a column');
        let order: 'asc' | 'desc' = 'desc';
        if (this.peekIdent('desc') || this.peekIdent('asc')) order = this.next().text === 'asc' ? 'asc' : 'desc';
        return { kind: 'top', count, by, order };
      }
      case 'take':
      case 'limit':
        return { kind: token.text, count: this.expectCount() };
      case 'extend': {
        const name = this.expectName('a column name');
        this.expectPunct('=');
        return { kind: 'extend', name, value: this.expectString() };
      }
      case 'summarize': {
        this.expectKeyword('arg_max');
        this.expectPunct('(');
        const column = this.expectName('a column');
        this.expectPunct(',');
        this.expectPunct('*');
        this.expectPunct(')');
        this.expectKeyword('by');
        return { kind: 'summarize', aggregate: 'arg_max', column, by: this.parseColumnList() };
      }
      case 'project':
        return { kind: 'project', columns: this.parseColumnList() };
      default:
        throw new KqlSyntaxError(`unsupported operator '${preview(token.text)}'`, token.pos);
    }
  }

  private parseColumnList(): string[] {
    const columns = [this.expectName('a column')];
    while (this.peekPunct(',')) {
      this.next();
      columns.push(this.expectName('a column'));
    }
    return columns;
  }

  // cond := and-chain ('or' and-chain)* — 'and' binds tighter, both associate left.
  private parseCondition(): Condition {
    return this.parseChain('or', () => this.parseChain('and', () => this.parseTerm()));
  }

  private parseChain(kind: 'and' | 'or', operand: () => Condition): Condition {
    let left = operand();
    while (this.peekIdent(kind)) {
      this.next();
      left = { kind, left, right: operand() };
    }
    return left;
  }

  private parseTerm(): Condition {
    if (this.peekPunct('(')) {
      this.next();
      const inner = this.parseCondition();
      this.expectPunct(')');
      return inner;
    }
    const column = this.expectName('a column');
    const opToken = this.next();
    if (opToken.text === 'in' || opToken.text === 'in~') {
      this.expectPunct('(');
      const values = [this.expectString()];
      while (this.peekPunct(',')) {
        this.next();
        values.push(this.expectString());
      }
      this.expectPunct(')');
      return { kind: 'in', column, caseInsensitive: opToken.text === 'in~', values };
    }
    const op = opToken.text;
    if ((opToken.type === 'punct' || opToken.type === 'ident') && isCompareOperator(op)) {
      return { kind: 'compare', column, op, value: this.expectString() };
    }
    throw this.unexpected(opToken, 'a comparison operator');
  }

  private expectString(): StringLiteral {
    const token = this.next();
    if (token.type !== 'string' || token.value === undefined) throw this.unexpected(token, 'a string literal');
    return { kind: 'string', value: token.value, raw: token.text, verbatim: token.verbatim === true };
  }

  private expectCount(): number {
    const token = this.next();
    if (token.type !== 'int') throw this.unexpected(token, 'an integer');
    const count = Number(token.text);
    if (count > MAX_COUNT) throw new KqlSyntaxError(`row count ${preview(token.text)} exceeds ${MAX_COUNT}`, token.pos);
    return count;
  }

  private expectName(what: string): string {
    const token = this.next();
    if (token.type !== 'ident' || token.text === 'in~') throw this.unexpected(token, what);
    return token.text;
  }

  private expectKeyword(keyword: string): void {
    const token = this.next();
    if (token.type !== 'ident' || token.text !== keyword) throw this.unexpected(token, `'${keyword}'`);
  }

  private expectPunct(punct: string): void {
    const token = this.next();
    if (token.type !== 'punct' || token.text !== punct) throw this.unexpected(token, `'${punct}'`);
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.type !== 'eof') throw this.unexpected(token, 'end of query');
  }

  private unexpected(token: Token, expected: string): KqlSyntaxError {
    const found = token.type === 'eof' ? 'end of query' : `'${preview(token.text)}'`;
    return new KqlSyntaxError(`expected ${expected} but found ${found}`, token.pos);
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index];
    if (token.type !== 'eof') this.index += 1;
    return token;
  }

  private peekIdent(text: string): boolean {
    const token = this.peek();
    return token.type === 'ident' && token.text === text;
  }

  private peekPunct(text: string): boolean {
    const token = this.peek();
    return token.type === 'punct' && token.text === text;
  }
}
