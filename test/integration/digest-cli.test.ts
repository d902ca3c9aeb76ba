import { describe, expect, it } from 'vitest';
import { seededCli } from '../helpers/seeded-cli.js';

/** `attest digest`: the control digest written now, through the real `attest` process. */
const { attest, json } = seededCli('attest-digest');

interface DigestJson {
  seq: number;
  from: string;
  to: string;
  figures: { from: string; to: string; mfa: { active: number }; provisioning: { newGrants: number; unapprovedOpen: number }; reviews: { campaigns: number } };
  previous: unknown;
  queued: boolean;
}

describe('attest digest', () => {
  it('records a digest now; the next one measures its trend from it; without COMPLIANCE_CHANNEL nothing is queued', async () => {
    const first = await json<DigestJson>('digest');
    // The first digest covers the week before it; the seeded directory is its baseline (no new grants).
    expect(first).toMatchObject({ seq: expect.any(Number), previous: null, queued: false });
    expect(Date.parse(first.to) - Date.parse(first.from)).toBe(7 * 86_400_000);
    expect(first.figures).toMatchObject({ from: first.from, to: first.to, provisioning: { newGrants: 0, unapprovedOpen: 0 }, reviews: { campaigns: 0 } });
    expect(first.figures.mfa.active).toBeGreaterThan(0);

    // What an operator reads: the period, each control, and that nothing goes to Slack.
    const human = await attest('digest');
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^Control digest from \S+ to \S+, recorded as evidence event \d+\n/);
    expect(human.stdout).toContain('CC6.2 provisioning  n/a of 0 new grants approved; 0 unapproved still undecided');
    expect(human.stdout).toContain('COMPLIANCE_CHANNEL is not set');

    // The third starts where the second (the human one) ended, with its figures as the trend's base.
    const third = await json<DigestJson>('digest');
    expect(third.seq).toBeGreaterThan(first.seq + 1);
    expect(Date.parse(third.from)).toBeGreaterThan(Date.parse(first.to));
    expect(third.previous).toMatchObject({ provisioning: first.figures.provisioning, mfa: first.figures.mfa });

    // Each digest is in the evidence log, which still verifies.
    expect(await json('verify')).toMatchObject({ ok: true });
  }, 120_000);
});
