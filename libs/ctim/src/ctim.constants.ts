export const CTIM_SCHEMA_VERSION = '1.3.29';

export const SOURCE = 'Microsoft Defender for Endpoint';

/** CTIM's "forever": the latest time its schema accepts. */
export const FAR_FUTURE = '2525-01-01T00:00:00.000Z';

export const CTIM_LIMITS = {
  title: 1024,
  shortDescription: 2048,
  description: 5000,
  reason: 1024,
} as const;
