/** Every sandbox route has a key; faults, latency, rate limits and stats are addressed by it. */
export const ROUTE_KEYS = [
  'token',
  'jwks',
  'alerts.list',
  'alerts.byFile',
  'alerts.byDomain',
  'alerts.byIp',
  'alerts.byMachine',
  'alerts.byUser',
  'files.get',
  'files.machines',
  'machines.get',
  'machines.list',
  'machines.findByIp',
  'machineactions.list',
  'machineactions.get',
  'machines.machineactions',
  'machines.availableActions',
  'machines.isolate',
  'machines.unisolate',
  'machines.restrictCodeExecution',
  'machines.unrestrictCodeExecution',
  'machines.runAntiVirusScan',
  'machines.collectInvestigationPackage',
  'machines.startInvestigation',
  'machines.stopAndQuarantineFile',
  'machines.tags',
  'machineactions.cancel',
  'indicators.list',
  'indicators.create',
  'indicators.delete',
  'exposureScore',
  'hunting',
  'graph.hunting',
] as const;

export type RouteKey = (typeof ROUTE_KEYS)[number];

export function isRouteKey(value: unknown): value is RouteKey {
  return typeof value === 'string' && (ROUTE_KEYS as readonly string[]).includes(value);
}
