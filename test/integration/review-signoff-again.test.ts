import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import type { fixedClock } from '../../src/clock.js';
import { evidenceEvent, outbox, reviewItem, reviewSignoff, type Campaign, type OutboxRow } from '../../src/db/schema/index.js';
import { exportBundle } from '../../src/domain/evidence/export/export-bundle.js';
import { decideItem } from '../../src/domain/reviews/decide-item.js';
import { findUnsignedReviewers } from '../../src/domain/reviews/find-unsigned-reviewers.js';
import { sendReminders } from '../../src/domain/reviews/send-reminders.js';
import { prepareSignOff, signOff } from '../../src/domain/reviews/sign-off.js';
import { RENDERERS } from '../../src/slack/delivery/renderers/index.js';
import { ACTION } from '../../src/slack/ids.js';
import { buildSignOffModal } from '../../src/slack/views/sign-off-modal.js';
import { launchedCampaign } from '../factories/campaign.js';
import { unzip } from '../factories/quarter.js';
import { seedReviewDirectory, type Seeded } from '../factories/review-directory.js';
import { buttonsOf } from '../helpers/journey-tools.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';

/**
 * A reviewer signs off, then an item reaches them (a level-2 item of a `--second-level owner`
 * campaign): once it is decided they are offered `Sign off again`, and the new sign-off (seq 2)
 * covers all of their items. comp (the campaign owner, the only admin) reviews three items at the
 * first level; maria's approval of li's privileged AWS Admins (no owner) sends its second
 * review to comp.
 */
let t: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let org: Seeded;
let c: Campaign;
let dir: string;

const id = (name: string) => org.people[name]!.id;
const at = (iso: string) => (deps.clock as ReturnType<typeof fixedClock>).set(iso);
const compItems = () => t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.reviewerId, id('comp'))));
const compSignoffs = () => t.db.select().from(reviewSignoff).where(eq(reviewSignoff.reviewerId, id('comp'))).orderBy(asc(reviewSignoff.seq));
/** As an auditor recomputes it from decisions.csv: `<id>,<decision>,<decided at>\n` in id order. */
const digestOf = (items: { id: string; decision: string; decidedAt: Date | null }[]) =>
  createHash('sha256')
    .update([...items].sort((a, b) => (a.id < b.id ? -1 : 1)).map((i) => `${i.id},${i.decision},${i.decidedAt?.toISOString() ?? ''}\n`).join(''))
    .digest('hex');

async function dmOf(reviewer: string) {
  const plan = await RENDERERS['review.refresh']!(deps, { kind: 'review.refresh', payload: { campaignId: c.id, reviewerId: id(reviewer) } } as unknown as OutboxRow);
  const blocks = plan!.messages.flatMap((m) => m.blocks ?? []);
  return { text: JSON.stringify(blocks), buttons: buttonsOf(blocks) };
}

async function itemOf(accountExt: string, resourceExt: string, level = 1) {
  const grantId = await org.grantOf(accountExt, resourceExt);
  const [it] = await t.db.select().from(reviewItem).where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.grantId, grantId), eq(reviewItem.level, level)));
  return it!;
}

type Row = Record<string, string>;
let exports = 0;
/** The campaign's bundle as an auditor gets it: its signoffs.csv and findings.csv. */
async function bundle(): Promise<{ signoffs: Row[]; findings: Row[] }> {
  const res = await exportBundle(deps, { period: { campaignId: c.id }, out: join(dir, `b${++exports}.zip`), actor: 'cli:test' });
  const files = await unzip(res.file);
  const csv = (name: string) => parse(files.get(name)!.toString('utf8'), { columns: true }) as Row[];
  return { signoffs: csv('signoffs.csv'), findings: csv('findings.csv') };
}
const compFindings = (b: { findings: Row[] }) => b.findings.filter((f) => f.type === 'signoff_missing' && f.subject === 'comp@acme.test');

beforeAll(async () => {
  t = await createTestDatabase();
  deps = testDeps(t.db);
  org = await seedReviewDirectory(deps);
  c = await launchedCampaign(deps, { secondLevel: 'owner' });
  dir = await mkdtemp(join(tmpdir(), 'attest-signoff-again-'));
}, 60_000);
afterAll(async () => {
  await t?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('signing off again for an item that reached the reviewer after their sign-off', () => {
  it('comp decides and signs their 3 items: seq 1, covered, no finding', async () => {
    at('2026-10-02T10:00:00Z');
    for (const [acc, res] of [['u1', 'g2'], ['u6', 'g2'], ['u5', 'a1']] as const) {
      const it = await itemOf(acc, res);
      expect(it.reviewerId).toBe(id('comp'));
      await decideItem(deps, { itemId: it.id, decision: 'revoked', reason: 'not needed', actorPersonId: id('comp') });
    }
    at('2026-10-02T11:00:00Z');
    const preview = await prepareSignOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp') });
    expect(preview).toMatchObject({ itemCount: 3, previous: null, signed: null });
    expect(await signOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp'), expectedDigest: preview.itemsDigest })).toMatchObject({ outcome: 'signed', signoff: { seq: 1, itemCount: 3 } });
    expect((await compSignoffs()).map((s) => [s.seq, s.itemCount])).toEqual([[1, 3]]);
    expect(compFindings(await bundle())).toEqual([]);
    expect((await findUnsignedReviewers(t.db, c.id)).map((r) => r.reviewerId)).not.toContain(id('comp'));
  });

  it('a level-2 item reaches comp: until it is decided, signing again is refused and the DM says why', async () => {
    at('2026-10-03T09:00:00Z');
    await decideItem(deps, { itemId: (await itemOf('u3', 'g2')).id, decision: 'approved', actorPersonId: id('maria') });
    const second = await itemOf('u3', 'g2', 2);
    expect(second).toMatchObject({ reviewerId: id('comp'), decision: 'pending' });

    const dm = await dmOf('comp');
    expect(dm.text).toContain('Your sign-off covers the 3 items decided before it. 1 item reached you after your sign-off: once it is decided, sign off again to cover it.');
    expect(dm.buttons.map((b) => b.actionId)).not.toContain(ACTION.reviewSignOff);
    await expect(prepareSignOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp') })).rejects.toThrow('You still have 1 item to decide: sign off once every item is decided.');
    await expect(signOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp') })).rejects.toThrow('You still have 1 item to decide');
    expect(await compSignoffs()).toHaveLength(1);
  });

  it('once decided, comp is offered Sign off again, reminded to sign, and the bundle finds the item not covered', async () => {
    at('2026-10-04T09:00:00Z');
    await decideItem(deps, { itemId: (await itemOf('u3', 'g2', 2)).id, decision: 'approved', actorPersonId: id('comp') });

    const dm = await dmOf('comp');
    expect(dm.text).toContain('All 4 items are decided.* 1 item reached you after your sign-off: sign off again to cover it.');
    expect(dm.text).not.toContain('*Signed off* by');
    expect(dm.buttons.filter((b) => b.actionId === ACTION.reviewSignOff)).toEqual([expect.objectContaining({ text: 'Sign off again', value: `${c.id}:${id('comp')}` })]);

    // The modal counts all of comp's items, and says the earlier sign-off covers fewer.
    const preview = await prepareSignOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp') });
    expect(preview).toMatchObject({ itemCount: 4, signed: null, previous: { seq: 1, itemCount: 3 }, statement: 'I reviewed each of these 4 items, and the decisions reflect current business need.' });
    expect(JSON.stringify(buildSignOffModal({ campaignId: c.id, reviewerId: id('comp'), itemsDigest: preview.itemsDigest, channelId: null }, preview))).toContain(
      '4 items decided (your earlier sign-off covers 3; this one covers all 4)',
    );

    expect((await findUnsignedReviewers(t.db, c.id)).map((r) => r.reviewerId)).toContain(id('comp'));
    at('2026-12-25T10:00:00Z'); // past the 7-day reminder offset, in working hours (UTC)
    await sendReminders(deps, deps.clock.now());
    const [reminder] = await t.db.select().from(outbox).where(and(eq(outbox.kind, 'review.reminder'), eq(outbox.recipientPersonId, id('comp'))));
    const sent = await RENDERERS['review.reminder']!(deps, reminder!);
    expect(JSON.stringify(sent!.messages[0]!.blocks)).toContain('you decided all 4 items in *Q4 2026 access review*; 1 item reached you after your sign-off. Please sign off again by');

    const b = await bundle();
    expect(compFindings(b).map((f) => f.detail)).toEqual(['decided all 4 item(s) in "Q4 2026 access review" but the latest sign-off covers 3: 1 item(s) reached them after it and are not covered']);
    expect(b.signoffs.filter((r) => r.reviewer_email === 'comp@acme.test')).toEqual([expect.objectContaining({ items: '4', decided: '4', item_count: '3', seq: '1' })]);
  });

  it('a double submission of the new sign-off records one row, seq 2, over all 4 items, and one event', async () => {
    at('2026-12-25T11:00:00Z');
    const preview = await prepareSignOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp') });
    const submit = () => signOff(deps, { campaignId: c.id, reviewerId: id('comp'), actorPersonId: id('comp'), expectedDigest: preview.itemsDigest });
    const results = await Promise.all([submit(), submit()]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['already_signed', 'signed']);
    for (const r of results) expect(r.signoff).toMatchObject({ seq: 2, itemCount: 4 });

    const items = await compItems();
    expect(items).toHaveLength(4);
    const rows = await compSignoffs();
    expect(rows.map((s) => [s.seq, s.itemCount])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(rows[1]!.itemsDigest).toBe(digestOf(items));
    expect(rows[1]!.signedAt.toISOString()).toBe('2026-12-25T11:00:00.000Z');
    const events = (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'review.signed_off'))).filter((e) => e.subject.reviewer === id('comp'));
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ seq: 1, itemCount: 3 }), expect.objectContaining({ seq: 2, itemCount: 4, itemsDigest: digestOf(items) })]);

    // A later submit is answered as signed; the DM says so; nobody reminds comp any more.
    expect(await submit()).toMatchObject({ outcome: 'already_signed', signoff: { seq: 2 } });
    expect(await compSignoffs()).toHaveLength(2);
    const dm = await dmOf('comp');
    expect(dm.text).toContain('*Signed off* by comp');
    expect(dm.text).not.toContain('reached you after');
    expect(dm.buttons.map((b) => b.actionId)).not.toContain(ACTION.reviewSignOff);
    expect((await findUnsignedReviewers(t.db, c.id)).map((r) => r.reviewerId)).not.toContain(id('comp'));
  });

  it('the bundle has a row per sign-off of comp with its seq last, and no finding', async () => {
    const b = await bundle();
    expect(compFindings(b)).toEqual([]);
    const comp = b.signoffs.filter((r) => r.reviewer_email === 'comp@acme.test');
    expect(comp).toEqual([
      expect.objectContaining({ items: '4', decided: '4', item_count: '3', seq: '1', signed_at: '2026-10-02T11:00:00.000Z' }),
      expect.objectContaining({ items: '4', decided: '4', item_count: '4', seq: '2', signed_at: '2026-12-25T11:00:00.000Z', items_digest: digestOf(await compItems()) }),
    ]);
    expect(Object.keys(b.signoffs[0]!)).toEqual(['campaign_id', 'campaign', 'reviewer_name', 'reviewer_email', 'items', 'decided', 'signed_at', 'statement', 'item_count', 'items_digest', 'seq']);
    // A reviewer who never signed keeps their one row, with no sign-off in it.
    const maria = b.signoffs.filter((r) => r.reviewer_email === 'maria@acme.test');
    expect(maria).toEqual([expect.objectContaining({ signed_at: '', item_count: '', seq: '' })]);
  });
});
