import type { WaitingWork } from '../../domain/home/get-waiting-work.js';
import { fallback, header, type SlackMessage } from './blocks.js';
import { LIMITS } from './limits.js';
import { waitingWorkBlocks } from './waiting-work.js';

/** `/attest status`: the Home tab's lists as an ephemeral message (50 blocks, not 100). */
export function buildStatusMessage(work: WaitingWork, now: Date): SlackMessage {
  const items = work.reviews.reduce((n, r) => n + r.pending, 0);
  return {
    text: fallback(
      `Waiting for you: ${items} review items, ${work.tasks.total} tasks, ${work.approvals.total} approvals`,
    ),
    blocks: [header('What is waiting for you'), ...waitingWorkBlocks(work, now, LIMITS.messageBlocks - 1)],
  };
}
