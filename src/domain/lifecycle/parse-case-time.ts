import { AppError } from '../../errors.js';
import { parseZonedTime } from '../time/parse-zoned-time.js';

/**
 * A start date or effective time as HR or an operator gives it. A bare date (`2026-11-02`)
 * is the start of that day in TZ (a hire's access is ready when their day begins).
 */
export function parseCaseTime(value: string, opts: { tz: string; field: string }): Date {
  const text = value.trim();
  const parsed = parseZonedTime(text, opts.tz, 'start');
  if (!parsed) {
    throw new AppError('INVALID_INPUT', `"${text}" is not a date: use 2026-11-02 or an ISO date-time such as 2026-11-02T09:00:00Z`, { field: opts.field });
  }
  return parsed;
}
