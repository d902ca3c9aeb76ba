import type { SetupChecklist } from '../../domain/home/setup-checklist.js';
import type { CheckResult } from '../../domain/doctor/types.js';
import { context, section, type Block } from './blocks.js';
import { LIMITS, truncate } from './limits.js';
import { escapeText, plural, slackDate } from './text.js';

const MARK = { ok: ':white_check_mark:', warn: ':warning:', fail: ':x:' } as const;

/** At most this many checks are listed one per block; the doctor has about ten. */
const MAX_LISTED = 12;

/**
 * Compliance's setup checklist on App Home: every check that is not ok with its fix, until all
 * pass; then a single line. Built from the doctor's report, so Home and `attest doctor` agree.
 */
export function setupChecklistBlocks(list: SetupChecklist): Block[] {
  const { checks } = list.report;
  const open = checks.filter((c) => c.status !== 'ok');
  const checked = `checked ${slackDate(list.checkedAt)}`;
  if (open.length === 0) {
    return [context(`${MARK.ok} Setup: all ${checks.length} checks pass (${checked}). Run \`attest doctor\` to check the identity sources too.`)];
  }
  const failed = open.filter((c) => c.status === 'fail').length;
  const title = `*Setup checklist*: ${failed > 0 ? `${plural(failed, 'check')} failing, ` : ''}${plural(open.length - failed, 'warning')}`;
  const passing = checks.filter((c) => c.status === 'ok').map((c) => c.name);
  const listed = open.slice(0, MAX_LISTED);
  return [
    section(title),
    ...listed.map(checkBlock),
    context(
      [
        passing.length > 0 ? `Passing: ${passing.join(', ')}.` : '',
        open.length > listed.length ? `…and ${open.length - listed.length} more: run \`attest doctor\`.` : '',
        list.sourcesSkipped ? 'Identity sources are not read from here (each read costs API calls): run `attest doctor` for them.' : '',
        `Results ${checked}, refreshed every few minutes.`,
      ]
        .filter(Boolean)
        .join(' '),
    ),
  ];
}

function checkBlock(c: CheckResult): Block {
  const fix = c.fix ? `\n_Fix:_ ${escapeText(c.fix)}` : '';
  // The fix matters most: the detail gives way when the two do not fit one section.
  const room = LIMITS.sectionText - fix.length - c.name.length - 20;
  return section(truncate(`${MARK[c.status]} *${escapeText(c.name)}*: ${truncate(escapeText(c.detail), Math.max(200, room))}${fix}`, LIMITS.sectionText));
}
