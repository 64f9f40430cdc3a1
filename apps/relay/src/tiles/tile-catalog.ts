import { TILE_PERIODS, TilePeriod } from './tile-periods';

export const TILE_IDS = ['alerts-summary', 'alerts-over-time', 'top-alerted-devices', 'alerts-by-detection-source', 'device-posture', 'response-activity'] as const;
export type TileId = (typeof TILE_IDS)[number];

export type TileType = 'metric_group' | 'vertical_bar_chart' | 'horizontal_bar_chart' | 'donut_graph';

export interface TileDefinition {
  id: TileId;
  type: TileType;
  title: string;
  short_description: string;
  description: string;
  tags: string[];
  periods: TilePeriod[];
  default_period: TilePeriod;
}

const TAGS = ['Microsoft Defender for Endpoint'];
// One default period for every tile: a dashboard left as it is costs one alerts read a minute.
const DEFAULT_PERIOD: TilePeriod = 'last_24_hours';

function tile(id: TileId, type: TileType, title: string, short_description: string, description: string, tags: string[]): TileDefinition {
  return { id, type, title, short_description, description, tags: [...TAGS, ...tags], periods: [...TILE_PERIODS], default_period: DEFAULT_PERIOD };
}

export const TILES: readonly TileDefinition[] = [
  tile(
    'alerts-summary',
    'metric_group',
    'Defender alerts',
    'Alerts created in the period by severity, and how many are new or in progress',
    'Microsoft Defender for Endpoint alerts created in the period (by their creation time, UTC): how many of each severity (High, Medium, Low, Informational; an unspecified severity counts as Informational) and how many of them are New or In progress now. Each count opens the alert queue in the Defender portal.',
    ['alerts'],
  ),
  tile(
    'alerts-over-time',
    'vertical_bar_chart',
    'Defender alerts over time',
    'Alerts per hour (last hour, last 24 hours) or per day (7 and 30 days), by severity',
    'Microsoft Defender for Endpoint alerts created in the period, one bar per UTC hour for the last hour and the last 24 hours and per UTC day for the last 7 and 30 days, stacked by severity. The first and last bars cover part of their hour or day.',
    ['alerts'],
  ),
  tile(
    'top-alerted-devices',
    'horizontal_bar_chart',
    'Devices with most Defender alerts',
    'The 10 devices with most alerts created in the period, by severity',
    'The 10 devices with most Microsoft Defender for Endpoint alerts created in the period, stacked by severity. Each bar opens the device page in the Defender portal.',
    ['alerts', 'devices'],
  ),
  tile(
    'alerts-by-detection-source',
    'donut_graph',
    'Defender alerts by detection source',
    'Alerts created in the period by detection source (outer ring) and status (inner ring)',
    'Microsoft Defender for Endpoint alerts created in the period by the detection source that raised them (EDR, Antivirus, Custom TI …), and within each source by status now (New, In progress, Resolved).',
    ['alerts'],
  ),
  tile(
    'device-posture',
    'metric_group',
    'Defender device posture',
    'Onboarded devices by health, high risk and exposure, and devices isolated now',
    'Devices onboarded to Microsoft Defender for Endpoint by health state (Active, Inactive, Impaired communication, No sensor data), how many have a high risk score or a high exposure level, and how many of them are isolated now (their latest succeeded isolation action, however old, isolated them; devices no longer in the inventory are not counted). This is the state now, whatever the period.',
    ['devices'],
  ),
  tile(
    'response-activity',
    'metric_group',
    'Defender response activity',
    'Machine actions started in the period by status, and custom indicators added',
    'Machine actions (isolation, scans, investigation packages …) created in the period by status now — Pending (also in progress), Succeeded, Failed (also timed out), Cancelled — and how many custom indicators were added in the period.',
    ['response'],
  ),
];

export function tileById(id: TileId): TileDefinition {
  return TILES.find((t) => t.id === id) as TileDefinition;
}
