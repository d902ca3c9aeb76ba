import type { AuthAnswer, SlackProbe } from './slack-probe.js';
import { REINSTALL } from './check-slack.js';
import { fail, notChecked, ok, warn, type Check } from './types.js';

const SET_ID =
  'set COMPLIANCE_CHANNEL to the channel ID (in Slack: open the channel → channel name → About → Channel ID, e.g. C0123ABCD)';

/**
 * Campaign summaries, escalations and checkpoints go to COMPLIANCE_CHANNEL. A bot that is not a
 * member gets `not_in_channel` (chat:write alone does not post to public channels it has not
 * joined), and a private channel it is not in looks to it as if it did not exist.
 */
export function complianceChannelCheck(channel: string | undefined, probe: SlackProbe | undefined, auth: () => Promise<AuthAnswer | undefined>): Check {
  return {
    name: 'compliance_channel',
    async run() {
      if (!channel) {
        return warn('COMPLIANCE_CHANNEL is not set: campaign summaries, escalations and checkpoints are not posted anywhere', `${SET_ID}, and invite @Attest to it`);
      }
      if (!probe || !(await auth())) return notChecked('the Slack token does not work', 'fix slack_token first');
      const info = await probe.channelInfo(channel);
      if (!info.ok) {
        if (info.error === 'channel_not_found') {
          const byName = !/^[CG][A-Z0-9]{6,}$/.test(channel);
          return fail(
            `channel ${channel} was not found${byName ? ' (COMPLIANCE_CHANNEL looks like a name, not an ID)' : ' (or it is private and the bot is not in it)'}`,
            byName ? SET_ID : `${SET_ID}; for a private channel, first invite the bot: type /invite @Attest in it`,
          );
        }
        if (info.error === 'missing_scope') return fail(`cannot look up ${channel}: the token lacks ${info.needed ?? 'a scope'}`, REINSTALL);
        return fail(`conversations.info for ${channel} answered ${info.error}`, SET_ID);
      }
      const label = `#${info.name} (${info.id})`;
      if (info.isArchived) return fail(`${label} is archived`, "unarchive it, or set COMPLIANCE_CHANNEL to another channel's ID");
      if (!info.isMember) return fail(`the bot is not a member of ${label}, so it cannot post there`, `invite the bot: type /invite @Attest in #${info.name}`);
      return ok(`the bot is a member of ${label}`);
    },
  };
}
