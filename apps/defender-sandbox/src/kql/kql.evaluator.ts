import { ColumnDef, emptyValue, KustoType } from '../hunting/hunting-tables.schema';
import { HuntingRow, HuntingValue } from '../model/entities';
import { CompareOperator, Condition, KqlQuery, Pipeline, PipelineOperator } from './kql.ast';
import { KqlSemanticError, preview } from './kql.error';

export interface KqlTable {
  columns: ColumnDef[];
  rows: HuntingRow[];
}

export type TableResolver = (name: string) => KqlTable | undefined;

/** Runs a parsed query against the tables `resolve` knows. Input rows are never mutated. */
export function evaluateKql(query: KqlQuery, resolve: TableResolver): KqlTable {
  if (query.kind === 'pipeline') return runPipeline(query, resolve);
  return unionTables(query.pipelines.map((p) => runPipeline(p, resolve)));
}

function runPipeline(pipeline: Pipeline, resolve: TableResolver): KqlTable {
  const source = resolve(pipeline.table);
  if (!source) throw new KqlSemanticError(`Failed to resolve table or column expression named '${preview(pipeline.table)}'`);
  let table: KqlTable = { columns: source.columns, rows: source.rows };
  for (const op of pipeline.operators) table = applyOperator(table, op);
  return table;
}

function applyOperator(table: KqlTable, op: PipelineOperator): KqlTable {
  switch (op.kind) {
    case 'where':
      checkCondition(table, op.condition);
      return { columns: table.columns, rows: table.rows.filter((row) => matches(row, op.condition)) };
    case 'top': {
      const column = requireColumn(table, op.by, 'top');
      const sorted = [...table.rows].sort((a, b) => compareForSort(a[op.by], b[op.by], column.type, op.order));
      return { columns: table.columns, rows: sorted.slice(0, op.count) };
    }
    case 'take':
    case 'limit':
      return { columns: table.columns, rows: table.rows.slice(0, op.count) };
    case 'extend': {
      const exists = table.columns.some((c) => c.name === op.name);
      const columns = exists ? table.columns : [...table.columns, { name: op.name, type: 'string' as const }];
      return { columns, rows: table.rows.map((row) => ({ ...row, [op.name]: op.value.value })) };
    }
    case 'summarize':
      return argMax(table, op.column, op.by);
    case 'project': {
      const columns = op.columns.map((name) => requireColumn(table, name, 'project'));
      return {
        columns,
        rows: table.rows.map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.name]]))),
      };
    }
  }
}

function requireColumn(table: KqlTable, name: string, operator: string): ColumnDef {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new KqlSemanticError(`'${operator}' operator: Failed to resolve scalar expression named '${preview(name)}'`);
  return column;
}

// Every predicate compares with a string literal, so the column must hold text.
function checkCondition(table: KqlTable, condition: Condition): void {
  switch (condition.kind) {
    case 'and':
    case 'or':
      checkCondition(table, condition.left);
      checkCondition(table, condition.right);
      return;
    default:
      checkLeaf(table, condition.column);
  }
}

function checkLeaf(table: KqlTable, name: string): void {
  const column = requireColumn(table, name, 'where');
  if (column.type !== 'string' && column.type !== 'dynamic') {
    throw new KqlSemanticError(
      `'where' operator: Cannot compare values of types ${column.type} and string. Try adding explicit casts`,
    );
  }
}

function matches(row: HuntingRow, condition: Condition): boolean {
  switch (condition.kind) {
    case 'and':
      return matches(row, condition.left) && matches(row, condition.right);
    case 'or':
      return matches(row, condition.left) || matches(row, condition.right);
    case 'in': {
      const text = asText(row[condition.column]);
      return condition.caseInsensitive
        ? condition.values.some((v) => v.value.toLowerCase() === text.toLowerCase())
        : condition.values.some((v) => v.value === text);
    }
    case 'compare':
      return compareText(asText(row[condition.column]), condition.op, condition.value.value);
  }
}

function asText(value: HuntingValue): string {
  if (value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function compareText(left: string, op: CompareOperator, right: string): boolean {
  const l = left.toLowerCase();
  const r = right.toLowerCase();
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '=~':
      return l === r;
    case 'contains':
      return l.includes(r);
    case 'startswith':
      return l.startsWith(r);
    case 'endswith':
      return l.endsWith(r);
    case 'has':
      return hasTerm(l, r);
  }
}

const isAlnum = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Kusto `has`: the needle occurs bounded by non-alphanumeric characters (or the string ends). */
export function hasTerm(haystack: string, needle: string): boolean {
  if (needle === '') return true;
  const first = needle[0];
  const last = needle[needle.length - 1];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const end = at + needle.length;
    const leftOk = !isAlnum(first) || !isAlnum(haystack[at - 1]);
    const rightOk = !isAlnum(last) || !isAlnum(haystack[end]);
    if (leftOk && rightOk) return true;
  }
  return false;
}

// Kusto sorts nulls last for desc and first for asc.
function compareForSort(a: HuntingValue, b: HuntingValue, type: KustoType, order: 'asc' | 'desc'): number {
  const sign = order === 'desc' ? -1 : 1;
  const aNull = a === null || (type !== 'string' && a === '');
  const bNull = b === null || (type !== 'string' && b === '');
  if (aNull || bNull) {
    if (aNull && bNull) return 0;
    return (aNull ? -1 : 1) * sign;
  }
  return sign * compareValues(a, b, type);
}

function compareValues(a: HuntingValue, b: HuntingValue, type: KustoType): number {
  if (type === 'datetime') return Date.parse(String(a)) - Date.parse(String(b)) || String(a).localeCompare(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = asText(a);
  const sb = asText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

// Output columns follow Kusto: group keys, then the arg_max column, then the rest.
function argMax(table: KqlTable, column: string, by: string[]): KqlTable {
  const maxColumn = requireColumn(table, column, 'summarize');
  const keyColumns = by.map((name) => requireColumn(table, name, 'summarize'));
  const groups = new Map<string, HuntingRow>();
  for (const row of table.rows) {
    const key = JSON.stringify(by.map((name) => row[name]));
    const best = groups.get(key);
    if (!best || compareForSort(row[column], best[column], maxColumn.type, 'asc') > 0) groups.set(key, row);
  }
  const leading = [...keyColumns, ...(by.includes(column) ? [] : [maxColumn])];
  const leadingNames = new Set(leading.map((c) => c.name));
  const columns = [...leading, ...table.columns.filter((c) => !leadingNames.has(c.name))];
  const rows = [...groups.values()].map((row) => Object.fromEntries(columns.map((c) => [c.name, row[c.name]])));
  return { columns, rows };
}

function unionTables(tables: KqlTable[]): KqlTable {
  const columns: ColumnDef[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      if (!columns.some((c) => c.name === column.name)) columns.push(column);
    }
  }
  const rows = tables.flatMap((table) =>
    table.rows.map((row) =>
      Object.fromEntries(columns.map((c) => [c.name, c.name in row ? row[c.name] : emptyValue(c.type)])),
    ),
  );
  return { columns, rows };
}
