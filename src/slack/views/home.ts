import type { WaitingWork } from '../../domain/home/get-waiting-work.js';
import type { MfaCoverage } from '../../domain/home/find-mfa-coverage.js';
import type { SetupChecklist } from '../../domain/home/setup-checklist.js';
import { ACTION, BLOCK, CALLBACK } from '../ids.js';
import { actions, button, context, divider, header, section, type Block, type HomeView } from './blocks.js';
import { campaignProgressBlocks } from './campaign-progress.js';
import { LIMITS } from './limits.js';
import { escapeText, plural, slackDate } from './text.js';
import { setupChecklistBlocks } from './setup-checklist.js';
import { waitingWorkBlocks } from './waiting-work.js';

export interface HomeInput {
  name: string;
  work: WaitingWork;
  now: Date;
  /** Compliance and admins only: the doctor's checks, until they all pass. */
  setup?: SetupChecklist | undefined;
}

/** Blocks around the lists: header, "updated" line, divider, refresh button. */
const FRAME_BLOCKS = 4;
/** Compliance's campaign progress takes at most this much of the tab; their own work keeps the rest. */
const CAMPAIGN_BLOCKS = 14;

export function buildHomeView(input: HomeInput): HomeView {
  const first = input.name.trim().split(/\s+/)[0];
  const campaigns = input.work.campaigns ? campaignProgressBlocks(input.work.campaigns, CAMPAIGN_BLOCKS) : [];
  // Setup comes first: until it passes, reviews may not reach anyone.
  const setup = input.setup ? [...setupChecklistBlocks(input.setup), divider()] : [];
  const mfa = input.work.mfa ? [mfaCoverageBlock(input.work.mfa)] : [];
  return {
    type: 'home',
    callback_id: CALLBACK.home,
    blocks: [
      header(first ? `What is waiting for you, ${first}` : 'What is waiting for you', BLOCK.homeHeader),
      context(`Updated ${slackDate(input.now)}`),
      ...setup,
      ...waitingWorkBlocks(input.work, input.now, LIMITS.viewBlocks - FRAME_BLOCKS - setup.length - campaigns.length - (campaigns.length > 0 ? 1 : 0) - mfa.length),
      ...(campaigns.length > 0 ? [divider(), ...campaigns] : []),
      ...mfa,
      divider(),
      actions([button('Refresh', ACTION.homeRefresh)], BLOCK.homeActions),
    ],
  };
}

/** Compliance's one-line MFA coverage: what `attest findings` lists as account_without_mfa. */
function mfaCoverageBlock(mfa: MfaCoverage): Block {
  const text =
    mfa.withoutMfa === 0
      ? '*MFA coverage*: no active account is without MFA, as far as the sources report'
      : `*MFA coverage*: ${plural(mfa.withoutMfa, 'active account')} without MFA, ${mfa.privileged} of them privileged · \`attest findings\` lists them`;
  return context(text);
}

/** Someone Slack knows but the directory does not (a guest, or before the first sync). */
export function buildUnknownUserHomeView(slackUserId: string): HomeView {
  return {
    type: 'home',
    callback_id: CALLBACK.home,
    blocks: [
      header('Welcome to Attest', BLOCK.homeHeader),
      section(
        `Hi <@${escapeText(slackUserId)}>, you're not in the directory yet, so there is nothing for you to review. ` +
          'Attest runs access reviews and access requests for your company; once the next directory sync ' +
          'links your Slack account, your reviews, tasks and approvals will show up here.',
      ),
      context('Think this is wrong? Ask your IT or compliance team to check that your Slack email matches your work email.'),
      divider(),
      actions([button('Refresh', ACTION.homeRefresh)], BLOCK.homeActions),
    ],
  };
}
