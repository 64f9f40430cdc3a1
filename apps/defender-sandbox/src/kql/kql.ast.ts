// AST of the KQL subset in docs/hunting-queries.md. It is recorded in the stats log of every
// hunting call, so tests can prove a query's structure (e.g. a hostile value stayed one literal).

export interface StringLiteral {
  kind: 'string';
  /** The decoded value. */
  value: string;
  /** The literal exactly as written in the query. */
  raw: string;
  verbatim: boolean;
}

export type CompareOperator = '==' | '=~' | '!=' | 'has' | 'contains' | 'startswith' | 'endswith';

export interface CompareCondition {
  kind: 'compare';
  column: string;
  op: CompareOperator;
  value: StringLiteral;
}

export interface InCondition {
  kind: 'in';
  column: string;
  caseInsensitive: boolean;
  values: StringLiteral[];
}

export interface LogicalCondition {
  kind: 'and' | 'or';
  left: Condition;
  right: Condition;
}

export type Condition = CompareCondition | InCondition | LogicalCondition;

export interface WhereOperator {
  kind: 'where';
  condition: Condition;
}

export interface TopOperator {
  kind: 'top';
  count: number;
  by: string;
  order: 'asc' | 'desc';
}

export interface TakeOperator {
  kind: 'take' | 'limit';
  count: number;
}

export interface ExtendOperator {
  kind: 'extend';
  name: string;
  value: StringLiteral;
}

export interface SummarizeArgMaxOperator {
  kind: 'summarize';
  aggregate: 'arg_max';
  column: string;
  by: string[];
}

export interface ProjectOperator {
  kind: 'project';
  columns: string[];
}

export type PipelineOperator =
  | WhereOperator
  | TopOperator
  | TakeOperator
  | ExtendOperator
  | SummarizeArgMaxOperator
  | ProjectOperator;

export interface Pipeline {
  kind: 'pipeline';
  table: string;
  operators: PipelineOperator[];
}

export interface UnionQuery {
  kind: 'union';
  pipelines: Pipeline[];
}

export type KqlQuery = Pipeline | UnionQuery;
