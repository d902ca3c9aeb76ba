import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { fixedClock } from '../../src/clock.js';
import { evidenceEvent, person, personRole } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { lazyRegistry } from '../../src/domain/lifecycle/connector-registry.js';
import { startOffboarding } from '../../src/domain/lifecycle/start-offboarding.js';
import { findRoles } from '../../src/domain/people/person-roles.js';
import { memoryConnector, user } from '../fakes/memory-connector.js';
import type { TestDatabase } from '../helpers/db.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { slashAttest } from '../helpers/slash-command.js';

/**
 * Roles end when their holder starts leaving: once a leaver's offboarding takes effect they hold
 * no role, in the domain's checks and in Slack alike, even while their accounts are still being
 * removed (and long before a sync marks them terminated).
 */
let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started));
let clock: ReturnType<typeof fixedClock>;
const ids: Record<string, string> = {};
const DAY = 86_400_000;

const okta = memoryConnector({ accounts: ['hal', 'ana', 'bo', 'cy'].map((n) => user(`u-${n}`, `${n}@acme.test`)), resources: [], grants: [] });
const registry = lazyRegistry(async (src) => (src === 'okta' ? okta : undefined));

beforeAll(async () => {
  clock = s.deps.clock as typeof clock;
  await runSync(s.deps, okta);
  for (const name of ['hal', 'ana', 'bo', 'cy']) {
    const [p] = await t.db.update(person).set({ slackUserId: `U0${name.toUpperCase()}` }).where(eq(person.email, `${name}@acme.test`)).returning();
    ids[name] = p!.id;
  }
  await t.db.insert(personRole).values([
    { personId: ids.hal!, role: 'hr', grantedBy: 'test' },
    { personId: ids.cy!, role: 'admin', grantedBy: 'test' },
  ]);
});

const attest = (userId: string, text: string) => slashAttest(s, userId, text);
const refusalsBy = async (personId: string) =>
  (await t.db.select().from(evidenceEvent).where(eq(evidenceEvent.action, 'security.refused'))).filter((e) => e.actor === `person:${personId}`);

describe('a leaver’s roles', () => {
  it('are kept until the offboarding takes effect, then count for nothing in the domain', async () => {
    const effectiveAt = new Date(clock.now().getTime() + 3 * DAY);
    await startOffboarding(s.deps, registry, { person: 'hal@acme.test', effectiveAt, reasonCategory: 'resignation', actor: 'cli:test', origin: 'cli' });
    expect((await t.db.select().from(person).where(eq(person.id, ids.hal!)))[0]!.status).toBe('leaving');

    // Announced ahead: until the day, HR's duties go on.
    expect(await findRoles(t.db, ids.hal!, clock.now())).toEqual(['hr']);
    const before = await startOffboarding(s.deps, registry, { person: 'ana@acme.test', reasonCategory: 'resignation', actor: `person:${ids.hal}`, actorPersonId: ids.hal!, origin: 'slack' });
    expect(before.created).toBe(true);

    clock.set(new Date(effectiveAt.getTime() + 60_000));
    expect(await findRoles(t.db, ids.hal!, clock.now())).toEqual([]);
    await expect(
      startOffboarding(s.deps, registry, { person: 'bo@acme.test', reasonCategory: 'resignation', actor: `person:${ids.hal}`, actorPersonId: ids.hal!, origin: 'slack' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await refusalsBy(ids.hal!)).map((e) => e.payload.attempted)).toEqual(['offboarding.start']);
    expect((await t.db.select().from(person).where(eq(person.id, ids.bo!)))[0]!.status).toBe('active');
  });

  it('count for nothing in Slack once the offboarding has taken effect, admin included', async () => {
    // hal (above) is past the effective time: HR's command is refused, on record.
    const body = await attest('U0HAL', 'offboard');
    expect(body.text).toContain('only for people with the hr role');
    expect(s.fake.callsTo('views.open')).toHaveLength(0);
    expect((await refusalsBy(ids.hal!)).map((e) => e.payload.attempted)).toContain('/attest offboard');

    // cy, an admin, is told of her departure today for tomorrow: she still acts until then.
    await startOffboarding(s.deps, registry, { person: 'cy@acme.test', effectiveAt: new Date(clock.now().getTime() + DAY), reasonCategory: 'resignation', actor: 'cli:test', origin: 'cli' });
    expect((await attest('U0CY', 'offboard')).text).not.toContain('only for people');
    expect(s.fake.callsTo('views.open')).toHaveLength(1);
    clock.advance(DAY + 1);
    expect((await attest('U0CY', 'offboard')).text).toContain('only for people with the hr role');
    expect(s.fake.callsTo('views.open')).toHaveLength(1);
    expect(await findRoles(t.db, ids.cy!, clock.now())).toEqual([]);
  });
});
