import { AppError } from '../../../errors.js';

/** What was asked for: one campaign, a calendar quarter, or a range of dates. */
export type PeriodInput = { campaignId: string } | { quarter: string } | { from: string | Date; to: string | Date };

/** A time range, `to` exclusive. Quarter and date boundaries are UTC, like every time in the bundle. */
export interface TimeRange {
  from: Date;
  to: Date;
}

const QUARTER = /^(\d{4})-Q([1-4])$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `2026-Q4` → 2026-10-01T00:00Z up to (not including) 2027-01-01T00:00Z. */
export function quarterRange(text: string): TimeRange {
  const m = QUARTER.exec(text.trim());
  if (!m) throw new AppError('INVALID_INPUT', `"${text}" is not a quarter: use the form 2026-Q4`, { field: 'quarter' });
  const year = Number(m[1]);
  const q = Number(m[2]);
  return { from: new Date(Date.UTC(year, (q - 1) * 3, 1)), to: new Date(Date.UTC(year, q * 3, 1)) };
}

/**
 * `--from 2026-10-01 --to 2026-12-31` covers both days whole: a bare `to` date means up to the
 * following midnight, as a person reading "to the 31st" expects. Date-times are taken as given.
 */
export function dateRange(fromText: string | Date, toText: string | Date): TimeRange {
  const from = parseInstant(fromText, 'from', false);
  const to = parseInstant(toText, 'to', true);
  if (from.getTime() >= to.getTime()) {
    throw new AppError('INVALID_INPUT', `The period starts (${from.toISOString()}) after it ends (${to.toISOString()})`, { field: 'to' });
  }
  return { from, to };
}

function parseInstant(value: string | Date, field: 'from' | 'to', endOfDay: boolean): Date {
  if (value instanceof Date) return value;
  const text = value.trim();
  let d: Date;
  if (DATE_ONLY.test(text)) {
    d = new Date(`${text}T00:00:00Z`);
    // Date() silently rolls 2026-02-30 into March: a date that does not round-trip is a typo.
    if (!Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) !== text) d = new Date(NaN);
    if (endOfDay) d = new Date(d.getTime() + 86_400_000);
  } else {
    d = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? new Date(text) : new Date(NaN);
  }
  if (Number.isNaN(d.getTime())) {
    throw new AppError('INVALID_INPUT', `--${field} "${text}" is not a date: use 2026-10-01 or an ISO date-time with a zone such as 2026-10-01T00:00:00Z`, { field });
  }
  return d;
}

/** Checks the shape of a period without touching the database (the CLI calls it before opening one). */
export function checkPeriod(input: PeriodInput): void {
  if ('campaignId' in input) {
    if (!input.campaignId.trim()) throw new AppError('INVALID_INPUT', 'A campaign id is required', { field: 'campaign' });
  } else if ('quarter' in input) quarterRange(input.quarter);
  else dateRange(input.from, input.to);
}
