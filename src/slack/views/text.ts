/**
 * Slack treats `&`, `<` and `>` as control characters in text objects: a name such as
 * `<!channel>` would otherwise notify everyone. Every user-supplied string goes through here.
 */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A time shown in the reader's own Slack time zone: Slack renders `<!date^…>` per viewer, so
 * one message serves reviewers in several zones. The fallback (UTC) is for clients that cannot.
 */
export function slackDate(at: Date, format = '{date_short_pretty} {time}'): string {
  const unix = Math.floor(at.getTime() / 1000);
  const fallback = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${unix}^${format}|${fallback}>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
