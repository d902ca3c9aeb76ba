import type { Checkpoint } from '../../domain/evidence/signing/checkpoint.js';
import { context, fallback, section, type SlackMessage } from './blocks.js';
import { slackDate } from './text.js';

/**
 * The compliance channel's copy of a signed chain head. The message itself is for people; the
 * checkpoint that `attest verify --witness` reads is in the message metadata, attached by the
 * renderer. Every value here is hex, base64 or a number: nothing needs escaping.
 */
export function buildCheckpointMessage(c: Checkpoint): SlackMessage {
  return {
    text: fallback(`Evidence checkpoint: event #${c.seq}, head ${c.hash}`),
    blocks: [
      section(`:lock: *Evidence checkpoint* at event #${c.seq}\n*Head hash:* \`${c.hash}\`\n*Signature:* \`${c.signature}\``),
      context(`Signed ${slackDate(new Date(c.at))} with key \`${c.keyId}\` · check with \`attest verify --witness\``),
    ],
  };
}
