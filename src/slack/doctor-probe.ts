import { ErrorCode, type WebClient } from '@slack/web-api';
import type { AuthAnswer, ChannelAnswer, SlackProbe } from '../domain/doctor/slack-probe.js';

/**
 * Doctor's questions over the Web API. The WebClient throws on `ok: false`; here a refusal is
 * turned back into Slack's answer (the check decides what it means) and only a transport
 * failure (unreachable, timeout) is thrown.
 */
export function slackDoctorProbe(client: WebClient): SlackProbe {
  return {
    async authTest(): Promise<AuthAnswer> {
      try {
        const r = await client.auth.test();
        // Filled by the WebClient from the x-oauth-scopes header of this very response.
        const scopes = r.response_metadata?.scopes ?? null;
        return { ok: true, scopes, team: r.team ?? r.team_id ?? '', botUserId: r.user_id ?? '' };
      } catch (err) {
        return { ok: false, error: refusal(err) };
      }
    },
    async channelInfo(channel: string): Promise<ChannelAnswer> {
      try {
        const r = await client.conversations.info({ channel });
        const c = r.channel ?? {};
        return {
          ok: true,
          id: c.id ?? channel,
          name: c.name ?? channel,
          isMember: Boolean(c.is_member),
          isPrivate: Boolean(c.is_private),
          isArchived: Boolean(c.is_archived),
        };
      } catch (err) {
        const needed = (err as { data?: { needed?: string } }).data?.needed;
        return { ok: false, error: refusal(err), ...(needed ? { needed } : {}) };
      }
    },
  };
}

function refusal(err: unknown): string {
  const e = err as { code?: string; data?: { error?: string } };
  if (e.code === ErrorCode.PlatformError && e.data?.error) return e.data.error;
  throw err;
}
