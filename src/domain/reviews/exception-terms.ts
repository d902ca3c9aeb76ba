import { AppError } from '../../errors.js';
import { parseZonedTime } from '../time/parse-zoned-time.js';

/**
 * An exception is temporary by design: it ends within a year (auditors expect an exception to
 * be looked at again at least yearly), and the reviewer is reminded a week before it ends.
 */
export const EXCEPTION_MAX_DAYS = 365;
export const EXCEPTION_REMINDER_DAYS = 7;
export const EXCEPTION_CONTROL_MAX = 1000;
const DAY_MS = 86_400_000;

/**
 * The end date a reviewer picks (`YYYY-MM-DD`, in their own zone): the exception lasts to the
 * end of that day. The day must be after today and at most a year from now.
 */
export function parseExceptionEnd(date: string, opts: { tz: string; now: Date }): Date {
  const start = parseZonedTime(date.trim(), opts.tz, 'start');
  const end = parseZonedTime(date.trim(), opts.tz, 'end');
  if (!start || !end || !/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) throw endError('Pick the date the exception ends.');
  if (start.getTime() <= opts.now.getTime()) throw endError('The end date must be in the future: pick tomorrow or later.');
  if (start.getTime() > opts.now.getTime() + EXCEPTION_MAX_DAYS * DAY_MS) throw endError(`An exception lasts at most a year: pick a date within ${EXCEPTION_MAX_DAYS} days.`);
  return end;
}

/** The domain's own check of what a caller passes for a `kept` decision. */
export function checkExceptionTerms(control: string | null | undefined, endsAt: Date | null | undefined, now: Date): { control: string; endsAt: Date } {
  const c = control?.trim() ?? '';
  if (!c) throw new AppError('INVALID_INPUT', 'Describe the compensating control that makes keeping this access acceptable.', { field: 'exceptionControl' });
  if (c.length > EXCEPTION_CONTROL_MAX) throw new AppError('INVALID_INPUT', `Keep the compensating control within ${EXCEPTION_CONTROL_MAX} characters.`, { field: 'exceptionControl' });
  if (!endsAt || Number.isNaN(endsAt.getTime())) throw endError('Pick the date the exception ends.');
  if (endsAt.getTime() <= now.getTime()) throw endError('The end date must be in the future: pick tomorrow or later.');
  // A day's grace over the picker's rule: the end of the last allowed day in the reader's zone.
  if (endsAt.getTime() > now.getTime() + (EXCEPTION_MAX_DAYS + 1) * DAY_MS) throw endError(`An exception lasts at most a year: pick a date within ${EXCEPTION_MAX_DAYS} days.`);
  return { control: c, endsAt };
}

function endError(message: string): AppError {
  return new AppError('INVALID_INPUT', message, { field: 'exceptionEndsAt' });
}
