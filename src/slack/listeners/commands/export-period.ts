import { checkPeriod, type PeriodInput } from '../../../domain/evidence/export/parse-period.js';
import { AppError, isAppError } from '../../../errors.js';
import { COMMAND } from '../../ids.js';

export const EXPORT_USAGE = `${COMMAND} export 2026-Q4, ${COMMAND} export campaign <id>, or ${COMMAND} export 2026-10-01 2026-12-31 (nothing after "export" means the current quarter)`;

const QUARTER = /^\d{4}-Q\d$/i;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * The Slack spelling of the CLI's --campaign / --quarter / --from --to. Checked here, before
 * the ack's "Building…" line, so a typo is answered at once with the forms that work.
 */
export function parseExportArgs(args: string, now: Date, tz: string): PeriodInput {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const period = periodOf(words, now, tz);
  if (!period) throw invalid(args, 'that is not a quarter, a campaign or two dates');
  try {
    checkPeriod(period);
  } catch (err) {
    // The domain's wording (a bad date, a range that ends before it starts) plus the forms.
    if (isAppError(err)) throw invalid(args, err.message.replace(/^--(from|to) /, ''));
    throw err;
  }
  return period;
}

function periodOf(words: string[], now: Date, tz: string): PeriodInput | undefined {
  const [first, second, ...rest] = words;
  if (first === undefined) return { quarter: currentQuarter(now, tz) };
  if (rest.length > 0) return undefined;
  if (first.toLowerCase() === 'campaign') return second === undefined ? undefined : { campaignId: second };
  if (second === undefined) return QUARTER.test(first) ? { quarter: first } : undefined;
  return DATE.test(first) && DATE.test(second) ? { from: first, to: second } : undefined;
}

/** The quarter a person in `tz` is living in (its boundaries are still UTC, like the bundle's). */
export function currentQuarter(now: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = parts.find((p) => p.type === 'year')!.value;
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  return `${year}-Q${Math.ceil(month / 3)}`;
}

function invalid(args: string, reason: string): AppError {
  return new AppError('INVALID_INPUT', `I can't export "${args.trim()}": ${reason}. Use ${EXPORT_USAGE}.`, { field: 'period' });
}
