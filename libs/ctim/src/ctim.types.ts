/** Any CTIM observable; the relay's input `Observable` (`@app/common`) fits too. */
export interface CtimObservable {
  type: string;
  value: string;
}

export interface ObservedTime {
  start_time: string;
  end_time?: string;
}

export interface ValidTime {
  start_time?: string;
  end_time?: string;
}

export type HighMedLow = 'Info' | 'Low' | 'Medium' | 'High' | 'None' | 'Unknown';

export type Severity = HighMedLow | 'Critical';

export type Tlp = 'red' | 'amber' | 'green' | 'white';

export interface Relation {
  origin: string;
  relation: string;
  source: CtimObservable;
  related: CtimObservable;
  origin_uri?: string;
  relation_info?: Record<string, unknown>;
}

export interface Target {
  type: string;
  observables: CtimObservable[];
  observed_time: ObservedTime;
  os?: string;
}

export type SightingDataColumnType = 'observable' | 'string' | 'markdown' | 'integer' | 'number' | 'url';

export interface SightingDataColumn {
  name: string;
  type: SightingDataColumnType;
  description?: string;
  short_description?: string;
  required?: boolean;
}

export type SightingDataValue = string | number | boolean | CtimObservable;

export interface SightingDataTable {
  columns: SightingDataColumn[];
  rows: SightingDataValue[][];
  row_count?: number;
}

export interface Sighting {
  type: 'sighting';
  id: string;
  schema_version: string;
  source: string;
  sensor: string;
  confidence: HighMedLow;
  internal: boolean;
  count: number;
  observables: CtimObservable[];
  observed_time: ObservedTime;
  title?: string;
  description?: string;
  short_description?: string;
  severity?: Severity;
  timestamp?: string;
  source_uri?: string;
  resolution?: string;
  external_ids?: string[];
  tlp?: Tlp;
  targets?: Target[];
  relations?: Relation[];
  data?: SightingDataTable;
}

export type DispositionNumber = 1 | 2 | 3 | 4 | 5;
export type DispositionName = 'Clean' | 'Malicious' | 'Suspicious' | 'Common' | 'Unknown';

export interface Verdict {
  type: 'verdict';
  disposition: DispositionNumber;
  disposition_name: DispositionName;
  observable: CtimObservable;
  valid_time: ValidTime;
  judgement_id?: string;
}

export interface Judgement {
  id: string;
  type: 'judgement';
  schema_version: string;
  source: string;
  observable: CtimObservable;
  disposition: DispositionNumber;
  disposition_name: DispositionName;
  /** 0..100; automated systems stay at or below 90. */
  priority: number;
  confidence: HighMedLow;
  severity: Severity;
  valid_time: ValidTime;
  reason?: string;
  reason_uri?: string;
  source_uri?: string;
  external_ids?: string[];
  timestamp?: string;
  tlp?: Tlp;
}

export interface ResponseAction {
  id: string;
  title: string;
  description: string;
  categories: string[];
  'query-params': Record<string, string>;
}

/** The time and fresh transient ids one mapping call takes from outside, so mappers stay pure. */
export interface MappingStamp {
  now: Date;
  newId(kind: string): string;
}
