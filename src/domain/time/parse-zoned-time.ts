const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A date or date-time as a person types it, read where the company is (TZ), never in the
 * server's own zone (which differs between a laptop and a container). A bare date means the
 * start or the end of that day in `tz`, as the caller says; a date-time with an offset is
 * taken as is; one without an offset is wall time in `tz`. Returns null when it is not a date.
 */
export function parseZonedTime(text: string, tz: string, bareDate: 'start' | 'end'): Date | null {
  const d = DATE_ONLY.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    if (!isCalendarDate(y, m, day)) return null;
    // The end of a day is the next local midnight, minus one millisecond.
    return bareDate === 'start' ? new Date(zonedToUtc(y, m, day, 0, 0, 0, 0, tz)) : new Date(zonedToUtc(y, m, day + 1, 0, 0, 0, 0, tz) - 1);
  }
  const t = DATE_TIME.exec(text);
  if (!t) return null;
  const [y, m, day, h, min, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(t[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((t[7] ?? '0').padEnd(3, '0'));
  if (!isCalendarDate(y, m, day) || h > 23 || min > 59 || s > 59) return null;
  const zone = t[8];
  if (!zone) return new Date(zonedToUtc(y, m, day, h, min, s, ms, tz));
  if (zone.toUpperCase() === 'Z') return new Date(Date.UTC(y, m - 1, day, h, min, s, ms));
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  return new Date(Date.UTC(y, m - 1, day, h, min, s, ms) - offsetMin * 60_000);
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** The UTC instant of a wall-clock time in `tz` (Date.UTC normalises day overflow, e.g. the 32nd). */
function zonedToUtc(y: number, m: number, d: number, h: number, min: number, s: number, ms: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, h, min, s, ms);
  // Two passes: the offset at the first guess may differ from the one at the answer across a DST change.
  const utc = wall - offsetAt(wall, tz);
  return wall - offsetAt(utc, tz);
}

/** How far `tz` is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000));
}
