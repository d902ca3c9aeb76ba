import { BLOCK, COMMAND } from '../ids.js';
import { context, fallback, section, type Block, type SlackMessage } from './blocks.js';
import { escapeText } from './text.js';

export interface HelpInput {
  commands: { usage: string; summary: string }[];
  /** A line shown above the list, e.g. why the user is seeing help. Plain text, escaped here. */
  notice?: string;
}

export function buildHelpMessage(input: HelpInput): SlackMessage {
  const lines = input.commands.map((c) => `\`${escapeText(`${COMMAND} ${c.usage}`)}\`  ${escapeText(c.summary)}`);
  const blocks: Block[] = [];
  if (input.notice) blocks.push(section(`:information_source: ${escapeText(input.notice)}`));
  blocks.push(section(`*What you can do with ${COMMAND}:*\n${lines.join('\n')}`, { blockId: BLOCK.helpCommands }));
  blocks.push(context('Your App Home (the Home tab of Attest) shows what is waiting for you.'));
  const names = input.commands.map((c) => c.usage.split(' ')[0]).join(', ');
  return {
    text: fallback(`${input.notice ? `${escapeText(input.notice)} ` : ''}${COMMAND} commands: ${escapeText(names)}`),
    blocks,
  };
}
