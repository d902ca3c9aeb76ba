import type { CaseView } from '../../domain/lifecycle/get-case.js';
import { COMMAND } from '../ids.js';
import { context, fallback, section, type Block, type SlackMessage } from './blocks.js';
import { LIMITS, capList, truncate } from './limits.js';
import { slackTime } from './review-time.js';
import { escapeText, plural } from './text.js';

/** One line per birthright task, under the section text limit with room for the "more" line. */
const MAX_LINES = 25;

/**
 * To the new hire's manager: what the person will have on day one (the access templates'
 * birthright, set up automatically or by its owner), and where to ask for more.
 */
export function buildOnboardingSummary(kase: CaseView, tz: string): SlackMessage {
  const name = kase.person ? escapeText(kase.person.name || kase.person.email) : 'Your new hire';
  const start = kase.effectiveAt ? ` on ${slackTime(kase.effectiveAt, tz)}` : '';
  const blocks: Block[] = [section(`:wave: *${name}* joins your team${start}.`)];
  const { shown, hidden } = capList(kase.tasks, MAX_LINES);
  if (shown.length === 0) {
    blocks.push(section('No access templates matched them, so nothing is set up automatically.'));
  } else {
    const lines = shown.map((t) => `• ${escapeText(truncate(t.description, 100))} — ${t.status === 'done' ? 'ready' : t.automated ? 'set up automatically' : `set up by ${escapeText(t.ownerName ?? `the ${t.ownerRole ?? 'it'} team`)}`}`);
    if (hidden > 0) lines.push(`…and ${plural(hidden, 'more item')}.`);
    blocks.push(section(truncate(`*On their first day they will have:*\n${lines.join('\n')}`, LIMITS.sectionText)));
  }
  blocks.push(context(`Need more for them? Anyone can ask with \`${COMMAND} request\`; requests come to you to approve.`));
  return { text: fallback(`${name} joins your team: ${plural(kase.tasks.length, 'access item')} planned for day one`), blocks };
}
