import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleConnector, type RetryPolicy } from '../../src/connectors/google/index.js';
import { PermanentError, TransientError, type DirectoryPage } from '../../src/connectors/types.js';
import { drain } from '../fakes/google/drain.js';
import { ADMIN, seedSampleOrg } from '../fakes/google/sample-org.js';
import { generateServiceAccount, type ServiceAccountKeys } from '../fakes/google/service-account.js';
import { startFakeGoogleWithKey, type FakeGoogle } from '../fakes/google-server.js';

let dir: string;
let keys: ServiceAccountKeys;
let fake: FakeGoogle | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-google-fail-'));
  keys = generateServiceAccount();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setup(
  retry: Partial<RetryPolicy> = { retries: 2, baseDelayMs: 10, maxDelayMs: 100 },
  extra: { apiUrl?: string; latencyMs?: number; timeoutMs?: number } = {},
) {
  const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN], latencyMs: extra.latencyMs });
  fake = started.fake;
  const connector = createGoogleConnector({
    credentialsFile: started.keyFile,
    adminSubject: ADMIN,
    apiUrl: extra.apiUrl ?? fake.url,
    retry,
    timeoutMs: extra.timeoutMs ?? 2_000,
  });
  return { fake, connector };
}

/** Reads until the connector throws, keeping the pages that came before. */
async function readUntilError(connector: ReturnType<typeof createGoogleConnector>) {
  const pages: DirectoryPage[] = [];
  try {
    for await (const page of connector.read()) pages.push(page);
  } catch (error) {
    return { pages, error };
  }
  return { pages, error: undefined };
}

describe('Google connector: failures', () => {
  it('throws when a late page fails, after the earlier pages', async () => {
    const { fake, connector } = await setup();
    for (let i = 0; i < 1200; i += 1) fake.store.addUser({ primaryEmail: `u${i}@example.com` });
    fake.fail({ op: 'users.list', nth: 3, status: 400 });

    const { pages, error } = await readUntilError(connector);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/users\.list: HTTP 400/);
    expect(pages.flatMap((p) => p.accounts ?? [])).toHaveLength(1000);
    expect(fake.counts['groups.list']).toBeUndefined();
  });

  it('retries a 5xx a bounded number of times, then throws a transient error', async () => {
    const { fake, connector } = await setup();
    seedSampleOrg(fake.store);
    fake.fail({ op: 'groups.list', status: 503, times: Infinity });

    const started = Date.now();
    const { error } = await readUntilError(connector);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/groups\.list: HTTP 503/);
    expect(fake.counts['groups.list']).toBe(3); // the first attempt and two retries
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('completes the read when a 5xx clears within the retries', async () => {
    const { fake, connector } = await setup();
    const { groups } = seedSampleOrg(fake.store);
    fake.fail({ op: 'members.list', status: 500, times: 2 });

    const { grants } = await drain(connector);

    expect(grants.filter((g) => g.resourceExternalId === groups.eng.id)).toHaveLength(6);
    expect(fake.counts['members.list']).toBe(3 + 2);
    expect(connector.stats?.().requests).toBe(fake.apiRequests());
  });

  it('fails the whole read when one group cannot be listed', async () => {
    const { fake, connector } = await setup();
    const { groups } = seedSampleOrg(fake.store);
    fake.fail({ op: 'members.list', path: new RegExp(groups.sre.id), status: 404 });
    const { error } = await readUntilError(connector);
    expect(error).toBeInstanceOf(PermanentError);
  });

  it('waits as long as Retry-After asks, but no longer than the ceiling', async () => {
    const { fake, connector } = await setup({ retries: 2, baseDelayMs: 10, maxDelayMs: 2_000 });
    seedSampleOrg(fake.store);
    fake.fail({ op: 'users.list', status: 429, retryAfterSeconds: 1 });
    let started = Date.now();
    await drain(connector);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    fake.fail({ op: 'users.list', status: 429, retryAfterSeconds: 3600 });
    started = Date.now();
    await drain(connector);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('reports an unreachable API as a transient error', async () => {
    const { connector } = await setup({ retries: 1, baseDelayMs: 5 }, { apiUrl: 'http://127.0.0.1:9/' });
    const { error } = await readUntilError(connector);
    expect(error).toBeInstanceOf(TransientError);
  });

  it('gives up on a slow answer after the timeout, as a transient error', async () => {
    const { fake, connector } = await setup({ retries: 1, baseDelayMs: 5 }, { latencyMs: 400, timeoutMs: 100 });
    seedSampleOrg(fake.store);
    const started = Date.now();
    const { error } = await readUntilError(connector);
    expect(error).toBeInstanceOf(TransientError);
    expect(fake.counts['users.list']).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('does not retry a request the caller aborted while it was in flight', async () => {
    const { fake, connector } = await setup({ retries: 2, baseDelayMs: 5 }, { latencyMs: 300 });
    seedSampleOrg(fake.store);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await drain(connector, controller.signal).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(fake.counts['users.list']).toBe(1);
    expect(Date.now() - started).toBeLessThan(300);
  });

  it('stops when the caller aborts', async () => {
    const { fake, connector } = await setup();
    seedSampleOrg(fake.store);
    const controller = new AbortController();
    const seen: DirectoryPage[] = [];
    const error = await (async () => {
      for await (const page of connector.read(controller.signal)) {
        seen.push(page);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(fake.counts['users.list']).toBeUndefined();
  });
});
