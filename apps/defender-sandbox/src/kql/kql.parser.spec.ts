import { CompareCondition, KqlQuery, Pipeline, StringLiteral } from './kql.ast';
import { KqlSyntaxError } from './kql.error';
import { parseKql } from './kql.parser';

/** The relay's encoder as documented in docs/hunting-queries.md. */
function kqlString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t');
  return `'${escaped}'`;
}

function pipeline(query: KqlQuery): Pipeline {
  if (query.kind !== 'pipeline') throw new Error('expected a pipeline');
  return query;
}

function whereLiteral(query: string): StringLiteral {
  const op = pipeline(parseKql(query)).operators[0];
  if (op.kind !== 'where' || op.condition.kind !== 'compare') throw new Error('expected where compare');
  return op.condition.value;
}

function syntaxError(query: string): KqlSyntaxError {
  try {
    parseKql(query);
  } catch (err) {
    if (err instanceof KqlSyntaxError) return err;
    throw err;
  }
  throw new Error(`query parsed but should not: ${query}`);
}

describe('parseKql — the relay query family', () => {
  it('parses the events union of docs/hunting-queries.md into one sub-pipeline per observable', () => {
    const ast = parseKql(`union
(DeviceFileEvents | where SHA1 == 'aa' | top 100 by Timestamp desc | extend RelayKey = 'o0'),
(DeviceFileEvents | where SHA256 == 'bb' | top 100 by Timestamp desc | extend RelayKey = 'o1'),
(DeviceFileEvents | where MD5 == 'cc' | top 37 by Timestamp desc | extend RelayKey = 'o2')`);
    expect(ast.kind).toBe('union');
    if (ast.kind !== 'union') return;
    expect(ast.pipelines).toHaveLength(3);
    expect(ast.pipelines[2]).toEqual({
      kind: 'pipeline',
      table: 'DeviceFileEvents',
      operators: [
        { kind: 'where', condition: { kind: 'compare', column: 'MD5', op: '==', value: { kind: 'string', value: 'cc', raw: "'cc'", verbatim: false } } },
        { kind: 'top', count: 37, by: 'Timestamp', order: 'desc' },
        { kind: 'extend', name: 'RelayKey', value: { kind: 'string', value: 'o2', raw: "'o2'", verbatim: false } },
      ],
    });
  });

  it('parses the network-info query with in (...) and summarize arg_max(Timestamp, *) by two columns', () => {
    const p = pipeline(
      parseKql(`DeviceNetworkInfo
| where DeviceId in ('id1', 'id2')
| summarize arg_max(Timestamp, *) by DeviceId, MacAddress`),
    );
    expect(p.operators[0]).toMatchObject({ kind: 'where', condition: { kind: 'in', column: 'DeviceId', caseInsensitive: false } });
    expect(p.operators[1]).toEqual({ kind: 'summarize', aggregate: 'arg_max', column: 'Timestamp', by: ['DeviceId', 'MacAddress'] });
  });

  it.each(['==', '=~', '!=', 'has', 'contains', 'startswith', 'endswith'] as const)('parses the %s comparison', (op) => {
    const cond = pipeline(parseKql(`T | where RemoteUrl ${op} 'x'`)).operators[0];
    expect(cond).toEqual({ kind: 'where', condition: { kind: 'compare', column: 'RemoteUrl', op, value: expect.objectContaining({ value: 'x' }) } });
  });

  it('parses in~, take, limit, project and top … asc', () => {
    const p = pipeline(parseKql("T | where A in~ ('x', \"y\") | take 5 | limit 3 | project A, B | top 2 by A asc"));
    expect(p.operators.map((o) => o.kind)).toEqual(['where', 'take', 'limit', 'project', 'top']);
    expect(p.operators[0]).toMatchObject({ condition: { kind: 'in', caseInsensitive: true, values: [{ value: 'x' }, { value: 'y' }] } });
    expect(p.operators[3]).toEqual({ kind: 'project', columns: ['A', 'B'] });
    expect(p.operators[4]).toEqual({ kind: 'top', count: 2, by: 'A', order: 'asc' });
  });

  it('makes and bind tighter than or, and honours parentheses', () => {
    const cond = (q: string) => {
      const op = pipeline(parseKql(q)).operators[0];
      if (op.kind !== 'where') throw new Error('where');
      return op.condition;
    };
    expect(cond("T | where A == 'a' or B == 'b' and C == 'c'")).toMatchObject({
      kind: 'or',
      left: { kind: 'compare', column: 'A' },
      right: { kind: 'and', left: { column: 'B' }, right: { column: 'C' } },
    });
    expect(cond("T | where (A == 'a' or B == 'b') and C == 'c'")).toMatchObject({
      kind: 'and',
      left: { kind: 'or' },
      right: { kind: 'compare', column: 'C' },
    });
  });
});

describe('parseKql — string literals', () => {
  it.each([
    ["'a\\\\b'", 'a\\b'],
    ["'it\\'s'", "it's"],
    ["'say \\\"hi\\\"'", 'say "hi"'],
    ["'l1\\nl2\\r\\tx'", 'l1\nl2\r\tx'],
    ['"double \\" quoted"', 'double " quoted'],
    ["@'C:\\Windows\\it''s'", "C:\\Windows\\it's"],
    ['@"verbatim ""q"" \\n"', 'verbatim "q" \\n'],
  ])('decodes %s', (literal, expected) => {
    expect(whereLiteral(`T | where A == ${literal}`).value).toBe(expected);
  });

  const hostile = [
    "x' or 1==1 //",
    "'; DeviceProcessEvents | take 1",
    'back\\slash\\',
    "a // comment | where B == 'c'",
    'pipe | union (DeviceNetworkInfo)',
    'multi\nline\r\nvalue\twith tab',
    'unicode ünïcødé 🚀 \u202e rtl',
    "\\'",
    '',
  ];

  it.each(hostile)('keeps the hostile value %j as one literal when escaped like the relay does', (value) => {
    const ast = parseKql(`DeviceNetworkEvents | where RemoteUrl has ${kqlString(value)} | top 10 by Timestamp desc`);
    const p = pipeline(ast);
    expect(p.operators).toHaveLength(2);
    const cond = p.operators[0].kind === 'where' ? (p.operators[0].condition as CompareCondition) : undefined;
    expect(cond?.value.value).toBe(value);
  });

  it.each(hostile.filter((v) => !/[\r\n]/.test(v)))('keeps %j as one verbatim literal (@ with doubled quotes)', (value) => {
    expect(whereLiteral(`T | where A == @'${value.replace(/'/g, "''")}'`)).toMatchObject({ value, verbatim: true });
  });
});

describe('parseKql — rejection', () => {
  it.each([
    ['a raw line break in a literal', "T | where A == 'x\ny'"],
    ['an unknown escape', "T | where A == '\\x41'"],
    ['an unterminated literal', "T | where A == 'abc"],
    ['a comment', "T // hi\n| take 1"],
    ['an unknown operator', "T | where A == 'x' | count"],
    ['a function call', "T | where tolower(A) == 'x'"],
    ['a numeric comparison', 'T | where A == 5'],
    ['two adjacent literals', "T | where A == 'it''s'"],
    ['an obfuscated literal', "T | where A == h'x'"],
    ['a let statement', "let x = 'a'; T"],
    ['a join', 'T | join (U) on A'],
    ['a semicolon', 'T; U'],
    ['trailing input', "T | take 1 'x'"],
    ['top without by', 'T | top 10'],
    ['summarize with another aggregate', 'T | summarize count() by A'],
    ['arg_max without *', 'T | summarize arg_max(Timestamp, A) by B'],
    ['a timespan', 'T | take 10d'],
    ['an empty query', '   '],
    ['union without parentheses', 'union T, U'],
    ['an uppercase keyword', "T | WHERE A == 'x'"],
  ])('rejects %s', (_name, query) => {
    const err = syntaxError(query);
    expect(err.reason.length).toBeGreaterThan(0);
    expect(err.message.length).toBeLessThan(200);
  });
});
