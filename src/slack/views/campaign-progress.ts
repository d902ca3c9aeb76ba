import type { CampaignProgress } from '../../domain/home/find-campaign-progress.js';
import { BLOCK } from '../ids.js';
import { context, section, type Block } from './blocks.js';
import { LIMITS } from './limits.js';
import { escapeText, plural, slackDate } from './text.js';

/** Room kept in each campaign's section for its heading and the "…and N more" line. */
const LINES_BUDGET = LIMITS.sectionText - 400;

/**
 * Compliance's view of open campaigns on the Home tab: one section per campaign with overall
 * progress and reviewers by pending items (most behind first), within `budget` blocks.
 */
export function campaignProgressBlocks(progress: { items: CampaignProgress[]; total: number }, budget: number): Block[] {
  if (progress.total === 0 || budget < 2) return [];
  const room = Math.max(0, budget - 2);
  const shown = progress.items.slice(0, room);
  const blocks: Block[] = [section(`*Open access reviews* (${progress.total})`, { blockId: BLOCK.homeCampaigns })];
  for (const { status: s } of shown) blocks.push(section(campaignText(s)));
  const hidden = progress.total - shown.length;
  if (hidden > 0) blocks.push(context(`…and ${plural(hidden, 'more campaign')}: \`attest campaign list\` shows them all`));
  return blocks;
}

function campaignText(s: CampaignProgress['status']): string {
  const decided = s.items - s.pending;
  const pct = s.items === 0 ? 100 : Math.floor((decided / s.items) * 100);
  const head =
    `*${escapeText(s.name)}* · due ${slackDate(s.dueAt)}\n` +
    `${decided} of ${plural(s.items, 'item')} decided (${pct}%) · ${s.approved} approved · ${s.revoked} revoked${s.kept > 0 ? ` · ${s.kept} kept as ${s.kept === 1 ? 'an exception' : 'exceptions'}` : ''} · ${s.reviewers} reviewers` +
    (s.fallbacks.length > 0 ? ` · ${s.fallbacks.length} with a stand-in` : '');
  const behind = s.byReviewer.filter((r) => r.pending > 0);
  const lines: string[] = [];
  let used = 0;
  for (const r of behind) {
    const line = `• ${escapeText(r.name || r.email)}: ${r.pending} pending, ${r.decided} decided`;
    if (used + line.length + 1 > LINES_BUDGET) break;
    lines.push(line);
    used += line.length + 1;
  }
  const more = behind.length - lines.length;
  if (more > 0) lines.push(`…and ${plural(more, 'more reviewer')} with pending items`);
  const done = s.byReviewer.length - behind.length;
  if (done > 0) lines.push(`${plural(done, 'reviewer')} finished`);
  return [head, ...lines].join('\n');
}
