import { describe, expect, it } from 'vitest';
import { buildHelpMessage } from '../../src/slack/views/help.js';
import { buildNotice } from '../../src/slack/views/notice.js';
import { messageBlockErrors } from '../helpers/slack-blocks.js';

describe('help message', () => {
  it('lists the given commands with a fallback text', () => {
    const msg = buildHelpMessage({
      commands: [
        { usage: 'help', summary: 'what you can do here' },
        { usage: 'request', summary: 'ask for access' },
      ],
    });
    expect(messageBlockErrors(msg.blocks)).toEqual([]);
    expect(msg.text).toBe('/attest commands: help, request');
    expect(JSON.stringify(msg.blocks)).toContain('`/attest request`  ask for access');
  });

  it('puts the notice first, escaped, in blocks and fallback alike', () => {
    const msg = buildHelpMessage({ commands: [{ usage: 'help', summary: 'x' }], notice: 'I don\'t know "/attest <!here>".' });
    expect(messageBlockErrors(msg.blocks)).toEqual([]);
    expect(JSON.stringify(msg.blocks[0])).toContain('&lt;!here&gt;');
    expect(msg.text).toContain('&lt;!here&gt;');
    expect(msg.text).not.toContain('<!here>');
  });
});

describe('notice', () => {
  it('is one valid section with the same text as fallback', () => {
    const msg = buildNotice('Only HR can do that & more');
    expect(messageBlockErrors(msg.blocks)).toEqual([]);
    expect(msg.text).toBe('Only HR can do that &amp; more');
  });
});
