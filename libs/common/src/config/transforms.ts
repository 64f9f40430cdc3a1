import { Transform } from 'class-transformer';

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

/** `on|off|true|false|1|0|yes|no` → boolean; anything else stays a string so validation rejects it. */
export function ToBoolean(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const v = value.toLowerCase();
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    return value;
  });
}

/** Integer strings → number; anything else → NaN so validation rejects it with the variable's name. */
export function ToInteger(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    return /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  });
}

export function ToLowerCase(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value));
}

export function ToOrigin(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' ? value.replace(/\/+$/, '') : value));
}

const SIZE = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/i;
const KB = 1024;
const MB = 1024 * 1024;
const UNITS: Record<string, number> = { b: 1, k: KB, kb: KB, kib: KB, m: MB, mb: MB, mib: MB };

/** `1048576`, `512kb`, `1mb`, `1m`, `2MiB` → bytes; anything else → NaN. */
export function ToByteSize(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const m = SIZE.exec(value);
    return m ? Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()] : Number.NaN;
  });
}
