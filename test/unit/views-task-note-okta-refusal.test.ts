import { describe, expect, it } from 'vitest';
import type { OktaRefusal } from '../../src/domain/evidence/get-okta-refusal.js';
import { buildOktaRefusalMessage } from '../../src/slack/views/okta-refusal.js';
import { buildTaskNoteModal, parseTaskNoteMetadata } from '../../src/slack/views/task-note-modal.js';
import { messageBlockErrors, modalViewErrors } from '../helpers/slack-blocks.js';

describe('the admin’s task note modal', () => {
  it('is a valid modal with one plain-text input, whose metadata comes back intact', () => {
    const meta = { taskId: '7d4f7a8e-0000-4000-8000-000000000001', channelId: 'D0ADA', messageTs: '1.000100' };
    const view = buildTaskNoteModal(meta, `Remove <!channel> from ${'x'.repeat(4000)}`);
    expect(modalViewErrors(view)).toEqual([]);
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(JSON.stringify(view.blocks)).not.toContain('<!channel>');
    expect(view.blocks.filter((b) => b.type === 'input')).toHaveLength(1);
    expect(parseTaskNoteMetadata(view.private_metadata!)).toEqual(meta);
    expect(parseTaskNoteMetadata('not json')).toBeNull();
  });
});

describe('the compliance notice of a refused Okta event', () => {
  it('names the event, the person and the reason, escaped, in valid blocks', () => {
    const r: OktaRefusal = {
      seq: 42,
      at: new Date('2026-10-01T09:00:00Z'),
      eventType: 'user.lifecycle.deactivate',
      oktaEvent: 'evt-1',
      oktaUser: '00u1',
      login: 'ceo@acme.test',
      published: '2026-10-01T08:59:59.000Z',
      code: 'not_confirmed',
      reason: 'Okta says user 00u1 is ACTIVE <not> deactivated',
      person: { name: 'Chief <Exec>', email: 'ceo@acme.test' },
    };
    const m = buildOktaRefusalMessage(r);
    expect(messageBlockErrors(m.blocks)).toEqual([]);
    expect(m.text).toBe('Okta event refused: user.lifecycle.deactivate for Chief &lt;Exec&gt; (ceo@acme.test). No offboarding was started.');
    expect(JSON.stringify(m.blocks)).toContain('evidence #42');
    expect(JSON.stringify(m.blocks)).toContain('&lt;not&gt;');
  });
});
