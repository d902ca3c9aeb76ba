import { escapeText } from './text.js';

/**
 * Times in the reader's own zone. Slack renders `<!date^…>` in each viewer's Slack zone; the
 * fallback after `|` (notifications, old clients, search) is formatted here in the zone we
 * know for the reader (their Slack zone, else the company's TZ), never in the server's.
 */
export function readerTime(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(at);
}

export function readerDay(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

/** A date and time token for mrkdwn, with the reader-zone fallback. */
export function slackTime(at: Date, tz: string): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${escapeText(readerTime(at, tz))}>`;
}

/** A date-only token for mrkdwn (last logins: the time of day says nothing). */
export function slackDay(at: Date, tz: string): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short}|${escapeText(readerDay(at, tz))}>`;
}
