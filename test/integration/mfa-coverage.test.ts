import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { TestDatabase } from '../helpers/db.js';
import { databaseEachTest, type TestDeps } from '../helpers/database-hooks.js';
import { tempDirForFile } from '../helpers/temp-dir.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { currentFindings } from '../../src/domain/evidence/findings/current-findings.js';
import { account, evidenceEvent, syncRun } from '../../src/db/schema/index.js';
import { rowsOf } from '../../src/db/rows-of.js';
import { createGoogleConnector } from '../../src/connectors/google/index.js';
import { createFileConnector, FileFormatError } from '../../src/connectors/file/index.js';
import { createOktaConnector } from '../../src/connectors/okta/index.js';
import { ADMIN, seedSampleOrg } from '../fakes/google/sample-org.js';
import { generateServiceAccount } from '../fakes/google/service-account.js';
import { startFakeGoogleWithKey, type FakeGoogle } from '../fakes/google-server.js';
import { generateOktaOrg, startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';

let t: TestDatabase;
let deps: TestDeps;
databaseEachTest((fresh) => ({ t, deps } = fresh));
const dir = tempDirForFile('attest-mfa');

const mfaOf = async (externalId: string) => {
  const [a] = await t.db.select().from(account).where(eq(account.externalId, externalId));
  return { enrolled: a!.mfaEnrolled, enforced: a!.mfaEnforced, checkedAt: a!.mfaCheckedAt };
};
const eventCount = async () => (await t.db.select().from(evidenceEvent)).length;
const mfaFindings = async () =>
  (await currentFindings(deps)).findings
    .filter((f) => f.type === 'account_without_mfa')
    .map((f) => ({ subject: f.subject, severity: f.severity }))
    .sort((a, b) => a.subject.localeCompare(b.subject));

function org(): MemoryOrg {
  return {
    accounts: [
      user('u1', 'ann@acme.test', { mfa: { enrolled: true } }),
      user('u2', 'root@acme.test', { mfa: { enrolled: false } }),
      user('u3', 'bo@acme.test', { mfa: { enrolled: false } }),
      user('u4', 'cy@acme.test'),
      user('u5', 'gone@acme.test', { status: 'deprovisioned', rawStatus: 'DEPROVISIONED', mfa: { enrolled: false } }),
    ],
    resources: [group('g1', 'Engineering'), group('g2', 'AWS Admins', true)],
    grants: [member('u1', 'g1'), member('u2', 'g2'), member('u3', 'g1')],
  };
}

describe('MFA through the sync', () => {
  it('writes what the source says, finds usable accounts without MFA (high when privileged), and an unchanged re-sync writes only its run record', async () => {
    const c = memoryConnector(org());
    const first = await runSync(deps, c);
    expect(first.status).toBe('succeeded');
    expect(await mfaOf('u1')).toMatchObject({ enrolled: true, enforced: null, checkedAt: deps.clock.now() });
    expect(await mfaOf('u2')).toMatchObject({ enrolled: false });
    // A source that does not say leaves the columns empty: no finding either way.
    expect(await mfaOf('u4')).toEqual({ enrolled: null, enforced: null, checkedAt: null });
    expect(await mfaFindings()).toEqual([
      { subject: 'bo@acme.test', severity: 'medium' },
      { subject: 'root@acme.test', severity: 'high' },
    ]);

    const events = await eventCount();
    const rows = await t.db.select().from(account);
    deps.clock.advance(3600_000);
    const again = await runSync(deps, c);
    expect(again).toMatchObject({ status: 'succeeded', added: 0, removed: 0, changed: 0, mfaChanged: 0 });
    expect(await eventCount()).toBe(events);
    expect(await t.db.select().from(account)).toEqual(rows);
    expect(await t.db.select().from(syncRun)).toHaveLength(2);
  });

  it('keeps what is on record when a read does not look, and records a change as an event outside `changed`', async () => {
    const c = memoryConnector(org());
    await runSync(deps, c);
    deps.clock.advance(3600_000);
    const bo = c.org.accounts.find((a) => a.externalId === 'u3')!;
    const root = c.org.accounts.find((a) => a.externalId === 'u2')!;
    bo.mfa = { enrolled: true };
    delete root.mfa;
    const report = await runSync(deps, c);
    expect(report).toMatchObject({ status: 'succeeded', changed: 0, mfaChanged: 1 });
    expect(await mfaOf('u3')).toMatchObject({ enrolled: true, checkedAt: deps.clock.now() });
    expect(await mfaOf('u2')).toMatchObject({ enrolled: false });
    const changed = (await t.db.select().from(evidenceEvent)).filter((e) => e.action === 'account.mfa_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.payload).toMatchObject({ login: 'bo@acme.test', from: { enrolled: false }, to: { enrolled: true } });
    expect(await mfaFindings()).toEqual([{ subject: 'root@acme.test', severity: 'high' }]);
    // The account's stored attributes never carry the staged MFA.
    const [row] = await t.db.select().from(account).where(eq(account.externalId, 'u3'));
    expect(row!.attrs).not.toHaveProperty('_mfa');
  });
});

describe('MFA from Google', () => {
  let fake: FakeGoogle | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('reads isEnrolledIn2Sv and isEnforcedIn2Sv with the users, with no extra request, and an unchanged re-sync writes only its run record', async () => {
    const started = await startFakeGoogleWithKey(dir, { keys: generateServiceAccount(), subjects: [ADMIN] });
    fake = started.fake;
    const sample = seedSampleOrg(fake.store);
    Object.assign(sample.users.ada, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: true });
    Object.assign(sample.users.grace, { isEnrolledIn2Sv: true, isEnforcedIn2Sv: false });
    const connector = createGoogleConnector({ credentialsFile: started.keyFile, adminSubject: ADMIN, apiUrl: fake.url, retry: { retries: 0, baseDelayMs: 10, maxDelayMs: 10 } });
    const first = await runSync(deps, connector);
    expect(first.status).toBe('succeeded');
    expect(first.mfaRequests).toBeUndefined();
    expect(await mfaOf(sample.users.ada.id)).toMatchObject({ enrolled: true, enforced: true });
    expect(await mfaOf(sample.users.grace.id)).toMatchObject({ enrolled: true, enforced: false });
    expect(await mfaOf(sample.users.kenji.id)).toMatchObject({ enrolled: false, enforced: false });
    // Kenji is active without 2SV; Linus (suspended) and Margaret (archived) cannot sign in.
    expect(await mfaFindings()).toEqual([{ subject: 'kenji@example.com', severity: 'medium' }]);

    const events = await eventCount();
    const rows = await t.db.select().from(account);
    deps.clock.advance(3600_000);
    const again = await runSync(deps, connector);
    expect(again).toMatchObject({ status: 'succeeded', added: 0, removed: 0, changed: 0, mfaChanged: 0 });
    // The connector's count is cumulative: the re-sync made as many requests as the first sync.
    expect(again.requests - first.requests).toBe(first.requests);
    expect(await eventCount()).toBe(events);
    expect(await t.db.select().from(account)).toEqual(rows);
  });
});

describe('MFA from a file', () => {
  const HEADER = 'system,account_id,email,resource,privileged,mfa';

  it('reads an optional mfa column (yes/no, empty: not stated) and syncs it', async () => {
    const path = join(dir, 'mfa.csv');
    writeFileSync(path, [HEADER, 'aws,ann,ann@acme.test,Admin,true,no', 'aws,ann,ann@acme.test,ReadOnly,,', 'aws,bo,bo@acme.test,ReadOnly,,yes', 'aws,cy,cy@acme.test,ReadOnly,,'].join('\n'));
    const report = await runSync(deps, createFileConnector({ path }));
    expect(report.status).toBe('succeeded');
    expect(await mfaOf('aws:ann')).toMatchObject({ enrolled: false, enforced: null });
    expect(await mfaOf('aws:bo')).toMatchObject({ enrolled: true });
    expect(await mfaOf('aws:cy')).toMatchObject({ enrolled: null });
    expect(await mfaFindings()).toEqual([{ subject: 'ann@acme.test', severity: 'high' }]);
  });

  it('refuses a bad mfa value with its line and column, or one that contradicts another row, changing nothing', async () => {
    const path = join(dir, 'bad-mfa.csv');
    writeFileSync(path, [HEADER, 'aws,ann,ann@acme.test,Admin,true,maybe', 'aws,bo,bo@acme.test,Admin,,yes', 'aws,bo,bo@acme.test,ReadOnly,,no'].join('\n'));
    const connector = createFileConnector({ path });
    let error: unknown;
    try {
      for await (const _ of connector.read()) void _;
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(FileFormatError);
    const problems = (error as FileFormatError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, column: 'mfa', message: expect.stringContaining('"maybe"') }),
        expect.objectContaining({ line: 4, column: 'mfa', message: expect.stringContaining('conflicts with line 3') }),
      ]),
    );
    const report = await runSync(deps, connector);
    expect(report.status).toBe('failed');
    expect(await t.db.select().from(account)).toEqual([]);
  });
});

describe('MFA from Okta: factors, paced and rotated', () => {
  let fake: FakeOkta | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('reads the privileged every sync and the others in rotation, after the directory, and reports the requests apart', async () => {
    const o = generateOktaOrg({ users: 96, groups: 4, memberships: 200, apps: 2, assignments: 50, seed: 3 });
    const ids = [...o.userIds.values()];
    // Two privileged users: one enrolled, one with only a pending factor (so without MFA).
    const admin = o.users.get(ids[10]!)!;
    const risky = o.users.get(ids[20]!)!;
    admin.factors = [{ id: 'f1', factorType: 'push', provider: 'OKTA', status: 'ACTIVE' }];
    risky.factors = [{ id: 'f2', factorType: 'sms', provider: 'OKTA', status: 'PENDING_ACTIVATION' }];
    admin.status = 'ACTIVE';
    risky.status = 'ACTIVE';
    o.assignRole(admin.id, 'SUPER_ADMIN');
    o.assignRole(risky.id, 'ORG_ADMIN');
    fake = await startFakeOkta({ apiToken: 'tok', org: o });
    const connector = createOktaConnector({ orgUrl: fake.url, apiToken: 'tok' });

    const usable = ['ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'PROVISIONED'];
    const factorPath = /^\/api\/v1\/users\/[^/]+\/factors$/;
    const asked = () => fake!.stats.log.filter((r) => factorPath.test(r.path)).map((r) => r.path.split('/')[4]!);

    const first = await runSync(deps, connector);
    expect(first.status).toBe('succeeded');
    const firstAsked = asked();
    // Who holds privileged access, as the sync recorded it (admin roles, privileged apps and groups).
    const privileged = rowsOf<{ id: string }>(
      await t.db.execute(sql`select distinct a.external_id as id from account a join access_grant g on g.account_id = a.id join resource r on r.id = g.resource_id
        where g.removed_at is null and (g.privileged or r.privileged) and a.status in ('active', 'recovery', 'locked_out', 'password_expired', 'provisioned')`),
    ).map((r) => r.id);
    expect(privileged).toEqual(expect.arrayContaining([admin.id, risky.id]));
    const others = ids.filter((id) => usable.includes(o.users.get(id)!.status) && !privileged.includes(id));
    const perSync = Math.ceil(others.length / 24);
    expect(first.mfaRequests).toBe(firstAsked.length);
    expect(firstAsked.length).toBe(privileged.length + perSync);
    expect(firstAsked).toEqual(expect.arrayContaining(privileged));
    // Every factor request came after the last directory request: the read was not slowed.
    const log = fake.stats.log;
    const lastDirectory = log.findLastIndex((r) => !factorPath.test(r.path));
    const firstFactor = log.findIndex((r) => factorPath.test(r.path));
    expect(firstFactor).toBeGreaterThan(lastDirectory);
    expect(first.requests).toBe(log.length - firstAsked.length);

    expect(await mfaOf(admin.id)).toMatchObject({ enrolled: true, enforced: null });
    expect(await mfaOf(risky.id)).toMatchObject({ enrolled: false });
    expect((await mfaFindings()).find((f) => f.subject === risky.profile.email)).toEqual({ subject: risky.profile.email, severity: 'high' });

    // Next syncs: the privileged again, and others not read before, until everyone has been.
    const seen = new Set(firstAsked);
    for (let sync = 2; sync <= 24; sync += 1) {
      fake.stats.log.splice(0);
      deps.clock.advance(3600_000);
      const report = await runSync(deps, connector);
      const now = asked();
      expect(report.mfaRequests).toBe(now.length);
      expect(now).toEqual(expect.arrayContaining(privileged));
      expect(now.length).toBe(privileged.length + perSync);
      const rotated = now.filter((id) => !privileged.includes(id));
      if (others.some((id) => !seen.has(id))) expect(rotated.some((id) => !seen.has(id))).toBe(true);
      for (const id of now) seen.add(id);
    }
    expect(others.every((id) => seen.has(id))).toBe(true);
    const [unchecked] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from account where status = 'active' and mfa_checked_at is null`));
    expect(Number(unchecked!.n)).toBe(0);
  }, 300_000);

  it('spreads the rotation over the time between syncs: every 6 hours a quarter each, so everyone is read within the day; after a day, everyone', async () => {
    const o = generateOktaOrg({ users: 60, groups: 3, memberships: 80, apps: 1, assignments: 20, seed: 9 });
    for (const u of o.users.values()) u.status = 'ACTIVE';
    fake = await startFakeOkta({ apiToken: 'tok', org: o });
    const connector = createOktaConnector({ orgUrl: fake.url, apiToken: 'tok' });
    const factorPath = /^\/api\/v1\/users\/[^/]+\/factors$/;
    const asked = () => fake!.stats.log.filter((r) => factorPath.test(r.path)).map((r) => r.path.split('/')[4]!);
    const sync = async () => {
      fake!.stats.log.splice(0);
      const report = await runSync(deps, connector);
      expect(report.status).toBe('succeeded');
      return asked();
    };

    // The first sync has no interval to go by: the bounded share, 1/24 of those not privileged (read every sync).
    const first = await sync();
    const privileged = rowsOf<{ id: string }>(
      await t.db.execute(sql`select distinct a.external_id as id from account a join access_grant g on g.account_id = a.id join resource r on r.id = g.resource_id
        where g.removed_at is null and (g.privileged or r.privileged)`),
    ).map((r) => r.id);
    const others = 60 - privileged.length;
    const rotated = (ids: string[]) => ids.filter((id) => !privileged.includes(id));
    expect(rotated(first).length).toBe(Math.ceil(others / 24));
    const seen = new Set(first);
    // SYNC_SCHEDULE every 6 hours: each later sync reads a quarter, and a day after the first, all have been read.
    for (let n = 1; n <= 4; n += 1) {
      deps.clock.advance(6 * 3600_000);
      const now = await sync();
      expect(rotated(now).length, `sync ${n + 1}, 6 hours after the one before`).toBe(Math.ceil(others / 4));
      for (const id of now) seen.add(id);
    }
    expect(seen.size, 'accounts read within the 24 hours after the first sync').toBe(60);

    // A sync after a pause of two days reads everyone at once.
    deps.clock.advance(2 * 86_400_000);
    expect((await sync()).length).toBe(60);
  }, 300_000);

  it('keeps the sync when the factors requests fail for good: the accounts keep what is on record', async () => {
    const o = generateOktaOrg({ users: 24, groups: 2, memberships: 30, apps: 1, assignments: 10, seed: 5 });
    fake = await startFakeOkta({ apiToken: 'tok', org: o });
    // Every factors request is refused (403: not worth a retry).
    fake.inject({ status: 403, path: /\/factors$/ });
    const report = await runSync(deps, createOktaConnector({ orgUrl: fake.url, apiToken: 'tok' }));
    expect(report.status).toBe('succeeded');
    expect(report.accounts).toBe(24);
    expect(report.mfaRequests).toBeGreaterThanOrEqual(1);
    const [checked] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from account where mfa_checked_at is not null`));
    expect(Number(checked!.n)).toBe(0);
  }, 120_000);
});
