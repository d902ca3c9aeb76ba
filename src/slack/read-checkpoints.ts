import { ErrorCode, type WebClient } from '@slack/web-api';
import type { CheckpointWitness, WitnessedCheckpoint } from '../domain/evidence/checkpoint/verify-witness.js';
import { AppError } from '../errors.js';
import { classifyIdentityError } from './bot-identity.js';

/** The metadata event type of checkpoint messages (DESIGN.md: a contract other tools rely on). */
export const CHECKPOINT_EVENT_TYPE = 'attest_checkpoint';

/**
 * conversations.history is Tier 3 for internal apps (50+/min); 200 per page keeps a year of
 * hourly checkpoints to a few dozen calls. Slack may return fewer than asked before the end,
 * so paging follows `next_cursor` until it is empty, never the page size.
 */
const PAGE = 200;

/**
 * The compliance channel as the witness: every message the bot itself posted there with
 * checkpoint metadata, all pages. Messages from anyone else are not ours to vouch for (only
 * apps can post metadata, and another app's say-so is not the witness), so they are skipped;
 * whatever the bot token posted is returned, to be trusted only if its signature verifies.
 */
export function slackCheckpointWitness(client: WebClient, channel: string): CheckpointWitness {
  return {
    readCheckpoints: () => readAll(client, channel).catch((err: unknown) => Promise.reject(readError(err, channel))),
  };
}

async function readAll(client: WebClient, channel: string): Promise<WitnessedCheckpoint[]> {
  const me = await client.auth.test();
  const out: WitnessedCheckpoint[] = [];
  let cursor: string | undefined;
  do {
    const res = await client.conversations.history({ channel, include_all_metadata: true, limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const m of res.messages ?? []) {
      if (m.metadata?.event_type !== CHECKPOINT_EVENT_TYPE || !m.ts) continue;
      if (!((me.bot_id && m.bot_id === me.bot_id) || (me.user_id && m.user === me.user_id))) continue;
      out.push({ payload: m.metadata.event_payload, witnessedAt: new Date(Number(m.ts) * 1000).toISOString() });
    }
    cursor = res.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return out;
}

/** What the operator must fix, in one line: the witness could not be read, so nothing was checked. */
function readError(err: unknown, channel: string): AppError {
  const identity = classifyIdentityError(err);
  if (identity) return identity;
  const e = err as { code?: string; data?: { error?: string; needed?: string } };
  const slack = e.code === ErrorCode.PlatformError ? e.data?.error : undefined;
  const hint =
    slack === 'channel_not_found' || slack === 'not_in_channel'
      ? `: invite the app to ${channel} (COMPLIANCE_CHANNEL)`
      : slack === 'missing_scope'
        ? `: the app needs the ${e.data?.needed ?? 'channels:history / groups:history'} scope (reinstall it from slack-manifest.yaml)`
        : '';
  return new AppError('UPSTREAM_UNAVAILABLE', `Could not read the checkpoints in ${channel} from Slack (${slack ?? (err as Error).message})${hint}`, { cause: err });
}
