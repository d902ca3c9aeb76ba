/**
 * Slack's Block Kit limits (docs.slack.dev/reference/block-kit). Slack refuses a whole message
 * or view that breaks one of them (`invalid_blocks`), so builders cut text and lists to fit
 * instead of letting one long name lose a reviewer's DM.
 */
export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  staticSelectOptions: 100,
  optionText: 75,
  headerText: 150,
  modalTitle: 24,
  privateMetadata: 3000,
  /** chat.postMessage truncates `text` beyond this; the fallback never needs that much. */
  fallbackText: 4000,
} as const;

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `max` UTF-16 units (never fewer code points than Slack counts), ending
 * with an ellipsis. Never splits a surrogate pair, an escape (`&amp;`) or a Slack token
 * (`<@U123>`, `<!date^…|…>`), any of which would render as garbage or be refused.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - ELLIPSIS.length);
  // An escape is at most 5 units (`&amp;`): an `&` closer than that with no `;` is cut in half.
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 5 && !text.slice(amp, cut).includes(';')) cut = amp;
  const lt = text.lastIndexOf('<', cut - 1);
  if (lt >= 0 && text.indexOf('>', lt) >= cut) cut = lt;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return text.slice(0, cut) + ELLIPSIS;
}

/** plain_text objects must not be empty: Slack refuses `""`. */
export function nonEmpty(text: string, max: number): string {
  const t = truncate(text.trim(), max);
  return t === '' ? ' ' : t;
}

/** Keeps the first `max` items; says how many were left out so the view can tell the reader. */
export function capList<T>(items: readonly T[], max: number): { shown: T[]; hidden: number } {
  const n = Math.max(0, max);
  return { shown: items.slice(0, n), hidden: Math.max(0, items.length - n) };
}

/**
 * Shares `budget` slots between lists of the given sizes, smallest first, so a short list is
 * shown whole and the long ones split what is left (water-filling).
 */
export function shareBudget(sizes: readonly number[], budget: number): number[] {
  const result = sizes.map(() => 0);
  let left = Math.max(0, budget);
  const order = sizes.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s);
  order.forEach(({ s, i }, k) => {
    const fair = Math.floor(left / (order.length - k));
    const take = Math.min(s, fair);
    result[i] = take;
    left -= take;
  });
  return result;
}
