import { AppError } from '../../errors.js';
import { parseZonedTime } from '../time/parse-zoned-time.js';

/**
 * A campaign's due date as typed by a person. A bare date (`2026-12-31`) means the end of that
 * day where the company is (TZ), so "due on the 31st" still allows work on the 31st; a date-time
 * with an offset is taken as is, and one without an offset is read as wall time in TZ (never in
 * the server's own zone, which differs between a laptop and a container).
 */
export function parseDueDate(value: string | Date, opts: { tz: string; now: Date }): Date {
  // A bare date is the end of that day, so "due on the 31st" still allows work on the 31st.
  const due = value instanceof Date ? value : (parseZonedTime(value.trim(), opts.tz, 'end') ?? invalidDate(value));
  if (Number.isNaN(due.getTime())) throw invalid(String(value));
  if (due.getTime() <= opts.now.getTime()) {
    throw new AppError('INVALID_INPUT', `The due date ${due.toISOString()} is in the past: give a future date such as 2026-12-31`, {
      field: 'dueAt',
    });
  }
  return due;
}

function invalidDate(text: string): never {
  throw invalid(text);
}

function invalid(text: string): AppError {
  return new AppError('INVALID_INPUT', `"${text}" is not a due date: use a date such as 2026-12-31 or an ISO date-time such as 2026-12-31T17:00:00Z`, {
    field: 'dueAt',
  });
}
