import { AppError } from '../../errors.js';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A start date or effective time as HR or an operator gives it. A bare date (`2026-11-02`)
 * is the start of that day in TZ (a hire's access is ready when their day begins); a
 * date-time with an offset is taken as is; one without an offset is wall time in TZ, never in
 * the server's own zone.
 */
export function parseCaseTime(value: string, opts: { tz: string; field: string }): Date {
  const text = value.trim();
  const d = DATE_ONLY.exec(text);
  const t = d ? null : DATE_TIME.exec(text);
  const m = d ?? t;
  if (!m) throw invalid(text, opts.field);
  const [y, mo, day, h, min, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, day));
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== day || h > 23 || min > 59 || s > 59) throw invalid(text, opts.field);
  const zone = t?.[7];
  if (!zone) {
    const wall = Date.UTC(y, mo - 1, day, h, min, s);
    // Two passes: the offset at the first guess may differ from the answer's across a DST change.
    const guess = wall - offsetAt(wall, opts.tz);
    return new Date(wall - offsetAt(guess, opts.tz));
  }
  // `+0100` → `+01:00`: the only offset form Date parses everywhere.
  const parsed = new Date(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(parsed.getTime())) throw invalid(text, opts.field);
  return parsed;
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
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(instant / 1000) * 1000;
}

function invalid(text: string, field: string): AppError {
  return new AppError('INVALID_INPUT', `"${text}" is not a date: use 2026-11-02 or an ISO date-time such as 2026-11-02T09:00:00Z`, { field });
}
