import { AppError } from '../../errors.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A campaign's due date as typed by a person. A bare date (`2026-12-31`) means the end of that
 * day where the company is (TZ), so "due on the 31st" still allows work on the 31st; a date-time
 * with an offset is taken as is, and one without an offset is read as wall time in TZ (never in
 * the server's own zone, which differs between a laptop and a container).
 */
export function parseDueDate(value: string | Date, opts: { tz: string; now: Date }): Date {
  const due = value instanceof Date ? value : parseText(value.trim(), opts.tz);
  if (Number.isNaN(due.getTime())) throw invalid(String(value));
  if (due.getTime() <= opts.now.getTime()) {
    throw new AppError('INVALID_INPUT', `The due date ${due.toISOString()} is in the past: give a future date such as 2026-12-31`, {
      field: 'dueAt',
    });
  }
  return due;
}

function parseText(text: string, tz: string): Date {
  const d = DATE_ONLY.exec(text);
  if (d) {
    const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    checkCalendar(text, y, m, day);
    // End of the day = the next local midnight, minus one millisecond.
    return new Date(zonedToUtc(y, m, day + 1, 0, 0, 0, 0, tz) - 1);
  }
  const t = DATE_TIME.exec(text);
  if (!t) throw invalid(text);
  const [y, m, day, h, min, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(t[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((t[7] ?? '0').padEnd(3, '0'));
  checkCalendar(text, y, m, day);
  if (h > 23 || min > 59 || s > 59) throw invalid(text);
  const zone = t[8];
  if (!zone) return new Date(zonedToUtc(y, m, day, h, min, s, ms, tz));
  if (zone.toUpperCase() === 'Z') return new Date(Date.UTC(y, m - 1, day, h, min, s, ms));
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  return new Date(Date.UTC(y, m - 1, day, h, min, s, ms) - offsetMin * 60_000);
}

function checkCalendar(text: string, y: number, m: number, d: number): void {
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) throw invalid(text);
}

/** The UTC instant of a wall-clock time in `tz` (Date.UTC normalises day overflow, e.g. the 32nd). */
function zonedToUtc(y: number, m: number, d: number, h: number, min: number, s: number, ms: number, tz: string): number {
  const wall = Date.UTC(y, m - 1, d, h, min, s, ms);
  // Two passes: the offset at the first guess may differ from the one at the answer across a DST change.
  let utc = wall - offsetAt(wall, tz);
  utc = wall - offsetAt(utc, tz);
  return utc;
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

function invalid(text: string): AppError {
  return new AppError('INVALID_INPUT', `"${text}" is not a due date: use a date such as 2026-12-31 or an ISO date-time such as 2026-12-31T17:00:00Z`, {
    field: 'dueAt',
  });
}
