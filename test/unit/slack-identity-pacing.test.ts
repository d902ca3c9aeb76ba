import { describe, expect, it } from 'vitest';
import { callWindow } from '../../src/slack/call-window.js';
import { contactUserId } from '../../src/slack/link-on-first-contact.js';

describe('users.lookupByEmail pacing', () => {
  it('lets a burst through up to the per-minute budget, then waits for the oldest call to leave the window', async () => {
    let now = 0;
    const waits: number[] = [];
    const gate = callWindow(50, 60_000, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 50; i += 1) {
      await gate.take();
      now += 100;
    }
    expect(waits).toEqual([]);
    await gate.take(); // the 51st call, 5 s after the first
    expect(waits).toEqual([55_000]);
    expect(now).toBe(60_000);
  });
});

describe('who a Slack request comes from', () => {
  it('reads the user of a slash command, an interaction, a modal and an App Home visit, and of nothing else', () => {
    expect(contactUserId({ command: '/attest', user_id: 'U1' })).toBe('U1');
    expect(contactUserId({ type: 'block_actions', user: { id: 'U2' } })).toBe('U2');
    expect(contactUserId({ type: 'view_submission', user: { id: 'U3' } })).toBe('U3');
    expect(contactUserId({ type: 'event_callback', event: { type: 'app_home_opened', user: 'U4' } })).toBe('U4');
    expect(contactUserId({ type: 'event_callback', event: { type: 'message', user: 'U5' } })).toBeUndefined();
    expect(contactUserId({ type: 'url_verification' })).toBeUndefined();
  });
});
