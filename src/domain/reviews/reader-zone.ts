/**
 * The time zone a person reads times in: their Slack zone when we know it and the runtime
 * knows it too (a zone name Slack sends may be newer than our ICU data), else the company's TZ.
 */
export function readerZone(slackTz: string | null | undefined, fallback: string): string {
  if (!slackTz) return fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: slackTz });
    return slackTz;
  } catch {
    return fallback;
  }
}

/** The wall-clock hour (0–23) at `at` in `tz`. */
export function localHour(at: Date, tz: string): number {
  const hour = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', hour: '2-digit' }).format(at);
  return Number(hour) % 24;
}

/** Office hours in the reader's own zone: reminders nobody reads at 3 a.m. are noise. */
export const WORKING_HOURS = { from: 9, to: 17 } as const;

export function inWorkingHours(at: Date, tz: string): boolean {
  const h = localHour(at, tz);
  return h >= WORKING_HOURS.from && h < WORKING_HOURS.to;
}
