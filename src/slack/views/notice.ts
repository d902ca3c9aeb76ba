import { fallback, section, type SlackMessage } from './blocks.js';
import { escapeText } from './text.js';

/** A one-line answer (a refusal, an error, a confirmation); `text` is plain and escaped here. */
export function buildNotice(text: string, emoji = ':warning:'): SlackMessage {
  return { text: fallback(escapeText(text)), blocks: [section(`${emoji} ${escapeText(text)}`)] };
}
