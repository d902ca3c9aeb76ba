import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../../logger.js';
import type { SlackMessage } from '../../views/blocks.js';

/**
 * Answers the person who clicked, visible to them only: through the click's response_url when
 * it has one (message buttons), else as an ephemeral in the conversation, else (Home tab,
 * modals) in their DM with the bot. A failed answer is logged, never thrown: what the click
 * asked for is already recorded.
 */
export async function tellClicker(
  a: { body: Pick<BlockAction, 'user' | 'channel' | 'response_url'>; client: WebClient; respond?: RespondFn | undefined; logger: Logger },
  message: SlackMessage,
): Promise<void> {
  try {
    await tellUser(a.client, { userId: a.body.user.id, channelId: a.body.channel?.id ?? null, respond: a.body.response_url ? a.respond : undefined }, message);
  } catch (err) {
    a.logger.warn({ err, user: a.body.user.id }, 'could not answer a Slack click');
  }
}

export async function tellUser(
  client: WebClient,
  to: { userId: string; channelId: string | null; respond?: RespondFn | undefined },
  message: SlackMessage,
): Promise<void> {
  if (to.respond) {
    await to.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
  } else if (to.channelId) {
    await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, text: message.text, blocks: message.blocks });
  } else {
    await client.chat.postMessage({ channel: to.userId, text: message.text, blocks: message.blocks });
  }
}
