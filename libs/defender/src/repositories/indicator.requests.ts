import { IndicatorAction, IndicatorPolicy, IndicatorRequest, IndicatorSeverity, IndicatorType } from '../models';

const INDICATOR_TYPE_BY_OBSERVABLE: Readonly<Record<string, IndicatorType>> = {
  sha1: 'FileSha1',
  sha256: 'FileSha256',
  md5: 'FileMd5',
  ip: 'IpAddress',
  ipv6: 'IpAddress',
  domain: 'DomainName',
  url: 'Url',
};

const FILE_INDICATOR_TYPES: ReadonlySet<IndicatorType> = new Set(['FileSha1', 'FileSha256', 'FileMd5']);

export function indicatorTypeFor(observableType: string): IndicatorType | undefined {
  return INDICATOR_TYPE_BY_OBSERVABLE[observableType.toLowerCase()];
}

export interface IndicatorRequestOptions {
  title: string;
  description: string;
  expirationTime?: string;
  severity?: IndicatorSeverity;
  /** None: every device. */
  rbacGroupNames?: readonly string[];
}

export function indicatorRequest(
  policy: IndicatorPolicy,
  observable: { type: string; value: string },
  opts: IndicatorRequestOptions,
): IndicatorRequest | undefined {
  const indicatorType = indicatorTypeFor(observable.type);
  if (indicatorType === undefined) return undefined;
  let action: IndicatorAction;
  let severity: IndicatorSeverity;
  let generateAlert: boolean;
  switch (policy) {
    case 'alert':
      [action, severity, generateAlert] = ['Audit', 'High', true];
      break;
    case 'alert-and-block':
      [action, severity, generateAlert] = [FILE_INDICATOR_TYPES.has(indicatorType) ? 'BlockAndRemediate' : 'Block', 'High', true];
      break;
    case 'allowed':
      [action, severity, generateAlert] = ['Allowed', 'Informational', false];
      break;
  }
  const request: IndicatorRequest = {
    indicatorValue: observable.value,
    indicatorType,
    action,
    title: opts.title,
    description: opts.description,
    severity: opts.severity ?? severity,
    generateAlert,
  };
  if (opts.expirationTime !== undefined) request.expirationTime = opts.expirationTime;
  if (opts.rbacGroupNames !== undefined && opts.rbacGroupNames.length > 0) request.rbacGroupNames = [...opts.rbacGroupNames];
  return request;
}
