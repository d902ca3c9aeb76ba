/**
 * What doctor asks of the chat platform, as plain data (implemented over the Slack Web API in
 * src/slack/doctor-probe.ts). A refusal is an answer (`ok: false` with Slack's error code), not
 * an exception; only an unreachable Slack throws.
 */
export type AuthAnswer =
  | {
      ok: true;
      /** The token's scopes (Slack's `x-oauth-scopes` header); null when Slack did not say. */
      scopes: string[] | null;
      team: string;
      botUserId: string;
    }
  | { ok: false; error: string };

export type ChannelAnswer =
  | { ok: true; id: string; name: string; isMember: boolean; isPrivate: boolean; isArchived: boolean }
  | { ok: false; error: string; needed?: string };

export interface SlackProbe {
  authTest(): Promise<AuthAnswer>;
  channelInfo(channel: string): Promise<ChannelAnswer>;
}
