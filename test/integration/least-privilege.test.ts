import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { runAttest } from '../helpers/doctor-cli.js';
import { spawnServe } from '../helpers/spawn-serve.js';

/**
 * Two database roles: the owner migrates and grants (`attest migrate --grant-to`), the runtime
 * role runs everything else and can only read and append to evidence_event. Roles exist only on
 * Postgres; on PGlite the product says plainly that they do not apply.
 */
const PG = process.env.TEST_DATABASE_URL;
const DIRECTORY = fileURLToPath(new URL('../../examples/directory.csv', import.meta.url));

interface Report {
  ok: boolean;
  checks: { name: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix: string | null }[];
}

const evidenceRole = (stdout: string) => {
  const c = (JSON.parse(stdout) as Report).checks.find((x) => x.name === 'evidence_role');
  if (!c) throw new Error(`no evidence_role check in ${stdout}`);
  return c;
};

describe.skipIf(PG)('least privilege on PGlite', () => {
  let cwd = '';
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'attest-lp-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('on PGlite: migrate --grant-to says PGlite is single-user, exits 78 and creates nothing', async () => {
    const dataDir = join(cwd, 'refused');
    const r = await runAttest(cwd, { DATA_DIR: dataDir }, 'migrate', '--grant-to', 'attest_app');
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('PGlite is single-user');
    expect(r.stderr).toContain('roles do not apply');
    expect(r.stderr).toContain('DATABASE_URL');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('on PGlite: ATTEST_APP_ROLE is refused the same way, with one JSON error under --json', async () => {
    const r = await runAttest(cwd, { DATA_DIR: join(cwd, 'refused-env'), ATTEST_APP_ROLE: 'attest_app' }, 'migrate', '--json');
    expect(r.status).toBe(78);
    const out = JSON.parse(r.stdout) as { ok: boolean; error: { code: string; message: string } };
    expect(out).toMatchObject({ ok: false, error: { code: 'CONFIG' } });
    expect(out.error.message).toContain('PGlite is single-user');
    expect(out.error.message).toContain('ATTEST_APP_ROLE');
  });

  it('on PGlite: the first command on a fresh DATA_DIR still migrates it, and the next runs on it', async () => {
    const env = { DATA_DIR: join(cwd, 'fresh') };
    const first = await runAttest(cwd, env, 'verify', '--json');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, events: 0 });
    const grant = await runAttest(cwd, env, 'roles', 'grant', 'admin', 'ann@example.com', '--json');
    expect(grant.status).toBe(0);
    expect(JSON.parse((await runAttest(cwd, env, 'verify', '--json')).stdout)).toMatchObject({ ok: true, events: 1 });
  });

  it('on PGlite: doctor warns that anyone who can write DATA_DIR can edit the evidence', async () => {
    const r = await runAttest(cwd, { DATA_DIR: join(cwd, 'fresh') }, 'doctor', '--json');
    const c = evidenceRole(r.stdout);
    expect(c.status).toBe('warn');
    expect(c.detail).toContain('PGlite is single-user: anyone who can write DATA_DIR can edit the evidence');
    expect(c.fix).toContain('DATABASE_URL with a restricted role');
  });
});

describe.skipIf(!PG)('least privilege on Postgres', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `attest_own_${suffix}`;
  const app = `attest_app_${suffix}`;
  const ungranted = `attest_bare_${suffix}`;
  const dbName = `attest_t_lp_${suffix}`;
  let cwd = '';
  let superUrl = '';
  const as = (role: string) => {
    const u = new URL(superUrl);
    u.username = role;
    u.password = '';
    return u.toString();
  };
  const admin = () => postgres(PG!, { max: 1, onnotice: () => {} });
  /** Runs SQL in the test database as `role` (default: the superuser of TEST_DATABASE_URL). */
  async function query<T extends object = Record<string, unknown>>(text: string, role?: string): Promise<T[]> {
    const c = postgres(role ? as(role) : superUrl, { max: 1, onnotice: () => {} });
    try {
      return (await c.unsafe(text)) as unknown as T[];
    } finally {
      await c.end();
    }
  }
  const evidenceCount = async () => Number((await query<{ n: string }>('select count(*) as n from evidence_event'))[0]!.n);

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'attest-lp-'));
    const a = admin();
    try {
      // Roles are cluster-wide: unique names, dropped in afterAll.
      await a.unsafe(`create role ${owner} login`);
      await a.unsafe(`create role ${app} login`);
      await a.unsafe(`create role ${ungranted} login`);
      // The owner owns the database, so it may create the drizzle schema; on Postgres 15 it owns public through pg_database_owner.
      await a.unsafe(`create database ${dbName} owner ${owner}`);
    } finally {
      await a.end();
    }
    const u = new URL(PG!);
    u.pathname = `/${dbName}`;
    superUrl = u.toString();
  }, 60_000);

  afterAll(async () => {
    const a = admin();
    try {
      await a.unsafe(`drop database if exists ${dbName} with (force)`);
      for (const r of [app, ungranted, owner]) await a.unsafe(`drop role if exists ${r}`);
    } finally {
      await a.end();
    }
    rmSync(cwd, { recursive: true, force: true });
  }, 60_000);

  it('on Postgres: migrate --grant-to names a role that does not exist and the CREATE ROLE to run, granting nothing', async () => {
    const missing = `attest_nope_${suffix}`;
    const r = await runAttest(cwd, { DATABASE_URL: as(owner) }, 'migrate', '--grant-to', missing);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`"${missing}" does not exist`);
    expect(r.stderr).toContain(`CREATE ROLE ${missing} LOGIN`);
  });

  it('on Postgres: migrate --grant-to as the owner migrates and grants the runtime role SELECT, INSERT on evidence_event and no more', async () => {
    const r = await runAttest(cwd, { DATABASE_URL: as(owner) }, 'migrate', '--grant-to', app, '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, database: 'postgres', grantedTo: app });

    const grants = async (schema: string, table: string) =>
      (
        await query<{ p: string }>(
          `select privilege_type as p from information_schema.role_table_grants where grantee = '${app}' and table_schema = '${schema}' and table_name = '${table}' order by 1`,
        )
      ).map((g) => g.p);
    expect(await grants('public', 'evidence_event')).toEqual(['INSERT', 'SELECT']);
    expect(await grants('public', 'person')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(await grants('public', 'outbox')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(await grants('drizzle', '__drizzle_migrations')).toEqual(['SELECT']);
    const [own] = await query<{ owner: string }>(`select tableowner as owner from pg_tables where tablename = 'evidence_event'`);
    expect(own?.owner).toBe(owner);
    const [schemas] = await query<{ pub: boolean; drz: boolean; create: boolean }>(
      `select has_schema_privilege('${app}', 'public', 'USAGE') as pub, has_schema_privilege('${app}', 'drizzle', 'USAGE') as drz, has_database_privilege('${app}', current_database(), 'CREATE') as create`,
    );
    expect(schemas).toEqual({ pub: true, drz: true, create: false });
    // No default privileges: a table created later is not the runtime role's until migrate --grant-to runs again.
    expect(await query(`select * from pg_default_acl`)).toEqual([]);
  });

  it('on Postgres: re-running with ATTEST_APP_ROLE converges on the same grants, taking back anything extra', async () => {
    await query(`grant update, delete, truncate on evidence_event to ${app}; grant truncate on person to ${app}`);
    const r = await runAttest(cwd, { DATABASE_URL: as(owner), ATTEST_APP_ROLE: app }, 'migrate', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ grantedTo: app });
    const rows = await query<{ t: string; p: string }>(
      `select table_name as t, privilege_type as p from information_schema.role_table_grants where grantee = '${app}' and table_name in ('evidence_event', 'person') order by 1, 2`,
    );
    expect(rows.map((x) => `${x.t}:${x.p}`)).toEqual([
      'evidence_event:INSERT',
      'evidence_event:SELECT',
      'person:DELETE',
      'person:INSERT',
      'person:SELECT',
      'person:UPDATE',
    ]);
  });

  it('on Postgres: migrate --grant-to refuses a superuser, which could alter the evidence anyway', async () => {
    const [me] = await query<{ u: string }>('select current_user as u');
    const r = await runAttest(cwd, { DATABASE_URL: as(owner) }, 'migrate', '--grant-to', me!.u);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('superuser');
  });

  it('on Postgres: the runtime role runs commands without migrating: sync and roles grant append evidence, verify passes', async () => {
    const before = await evidenceCount();
    const [{ n: migrations }] = (await query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations')) as [{ n: string }];
    const env = { DATABASE_URL: as(app) };
    const sync = await runAttest(cwd, { ...env, DIRECTORY_FILE: DIRECTORY }, 'sync', '--json');
    expect(sync.stderr).toBe('');
    expect(sync.status).toBe(0);
    const grant = await runAttest(cwd, env, 'roles', 'grant', 'admin', 'maya@northwind.example', '--json');
    expect(grant.stderr).toBe('');
    expect(grant.status).toBe(0);
    const verify = await runAttest(cwd, env, 'verify', '--json');
    expect(verify.status).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; events: number };
    expect(report.ok).toBe(true);
    expect(report.events).toBeGreaterThan(before);
    expect(await evidenceCount()).toBe(report.events);
    const [actor] = await query<{ a: string }>(`select actor as a from evidence_event order by seq desc limit 1`);
    expect(actor?.a).toBeTruthy();
    expect((await query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations'))[0]!.n).toBe(migrations);
  });

  it('on Postgres: the runtime role is refused UPDATE, DELETE, TRUNCATE, ALTER TABLE … DISABLE TRIGGER and session_replication_role (42501)', async () => {
    const before = await evidenceCount();
    expect(before).toBeGreaterThan(0);
    const [head] = await query<{ hash: string }>('select hash from evidence_event order by seq desc limit 1');
    const attempts: [string, RegExp][] = [
      [`update evidence_event set actor = 'someone else' where seq = 1`, /permission denied for table evidence_event/],
      ['delete from evidence_event where seq = 1', /permission denied for table evidence_event/],
      ['truncate evidence_event', /permission denied for table evidence_event/],
      ['alter table evidence_event disable trigger evidence_event_no_update_delete', /must be owner of table evidence_event/],
      ['alter table evidence_event disable trigger all', /must be owner of table evidence_event/],
      ['drop trigger evidence_event_no_update_delete on evidence_event', /must be owner of (table|relation) evidence_event/],
      ['set session_replication_role = replica', /permission denied to set parameter/],
    ];
    for (const [statement, message] of attempts) {
      const err = await query(statement, app).then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(err, statement).toBeDefined();
      expect(err?.code, statement).toBe('42501');
      expect(err?.message, statement).toMatch(message);
    }
    // A plain INSERT of its own is allowed (that is how it appends); what was written stays as it was.
    expect(await evidenceCount()).toBe(before);
    expect((await query<{ hash: string }>('select hash from evidence_event order by seq desc limit 1'))[0]?.hash).toBe(head?.hash);
  });

  it('on Postgres: the append-only trigger is still present and enabled as the second guard', async () => {
    const triggers = await query<{ name: string; enabled: string }>(
      `select tgname as name, tgenabled as enabled from pg_trigger where tgrelid = 'public.evidence_event'::regclass and not tgisinternal order by 1`,
    );
    expect(triggers).toEqual([
      { name: 'evidence_event_no_truncate', enabled: 'O' },
      { name: 'evidence_event_no_update_delete', enabled: 'O' },
    ]);
    // Even the superuser, who passes every privilege check, meets the trigger.
    await expect(query(`update evidence_event set actor = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
  });

  it('on Postgres: doctor --json warns on evidence_role as the owner, and is ok as the runtime role', async () => {
    const asOwner = evidenceRole((await runAttest(cwd, { DATABASE_URL: as(owner) }, 'doctor', '--json')).stdout);
    expect(asOwner.status).toBe('warn');
    expect(asOwner.detail).toContain(`role ${owner} owns evidence_event`);
    expect(asOwner.fix).toContain('ATTEST_APP_ROLE');
    expect(asOwner.fix).toContain('attest migrate --grant-to');
    const asApp = await runAttest(cwd, { DATABASE_URL: as(app) }, 'doctor', '--json');
    const report = JSON.parse(asApp.stdout) as Report;
    expect(report.checks.find((c) => c.name === 'database')?.status).toBe('ok');
    expect(evidenceRole(asApp.stdout)).toMatchObject({ status: 'ok', fix: null, detail: expect.stringContaining(`role ${app} can only read and append`) });
  });

  it('on Postgres: serve as the owner logs that the evidence is at risk; as the runtime role it serves without the warning', { timeout: 120_000 }, async () => {
    const fake: FakeSlack = await startFakeSlack();
    try {
      for (const [role, warned] of [
        [owner, true],
        [app, false],
      ] as const) {
        const s = await spawnServe({ databaseUrl: as(role), slackApiUrl: fake.apiUrl, startTimeoutMs: 60_000 });
        try {
          expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
          // Give the start-up line and the first background ticks a moment to reach the log.
          await new Promise((r) => setTimeout(r, 1500));
          const out = s.output();
          if (warned) {
            expect(out).toContain('evidence log at risk');
            expect(out).toContain('attest migrate --grant-to');
          } else {
            expect(out).not.toContain('evidence log at risk');
          }
          expect(out).not.toContain('permission denied');
        } finally {
          await s.stop();
        }
      }
    } finally {
      await fake.close();
    }
  });

  it('on Postgres: a runtime role never granted the migrations table is told to run migrate --grant-to', async () => {
    const r = await runAttest(cwd, { DATABASE_URL: as(ungranted) }, 'verify', '--json');
    expect(r.status).toBe(78);
    expect(r.stderr).toContain("may not read Attest's migrations table");
    expect(r.stderr).toContain('--grant-to');
  });

  it('on Postgres: the runtime role facing a missing migration exits 78 with the run-attest-migrate line and changes nothing', async () => {
    // The newest migration "not applied": what a runtime role sees after an upgrade before the owner migrates.
    const [newest] = await query<{ id: number; hash: string; created_at: string }>(
      'select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
    );
    await query(`delete from drizzle.__drizzle_migrations where id = ${newest!.id}`);
    try {
      const events = await evidenceCount();
      const roles = await query('select * from person_role order by 1, 2');
      const r = await runAttest(cwd, { DATABASE_URL: as(app) }, 'roles', 'grant', 'hr', 'maya@northwind.example');
      expect(r.status).toBe(78);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^attest: the database is missing migrations \(\d{4}_\w+\).*: run `attest migrate` with the owner's DATABASE_URL$/);
      expect(await evidenceCount()).toBe(events);
      expect(await query('select * from person_role order by 1, 2')).toEqual(roles);
      expect(await query(`select 1 from drizzle.__drizzle_migrations where id = ${newest!.id}`)).toEqual([]);
    } finally {
      await query(`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${newest!.id}, '${newest!.hash}', ${newest!.created_at})`);
    }
  });
});
