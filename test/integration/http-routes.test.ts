import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/serve.js';

let t: TestDatabase;
let s: TestServer;

beforeAll(async () => {
  t = await createTestDatabase();
  s = await startTestServer(t);
});
afterAll(async () => {
  await s?.close();
  await t?.drop();
});

describe('HTTP routes', () => {
  it('answers /healthz with 200 while the process is up', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when the database answers', async () => {
    const res = await fetch(`${s.url}/readyz`);
    expect(res.status).toBe(200);
  });

  it('answers /readyz with 503 once the database is closed, while /healthz stays 200', async () => {
    const db = await openDatabase({ dataDir: 'memory://' });
    const down = await startTestServer(t, { database: db });
    try {
      expect((await fetch(`${down.url}/readyz`)).status).toBe(200);
      await db.close();
      const res = await fetch(`${down.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'unavailable', reason: 'database' });
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });

  it('exposes the Prometheus counters on /metrics', async () => {
    await fetch(`${s.url}/healthz`);
    await fetch(`${s.url}/no-such-page`);
    await s.slack.command({ user_id: 'U0X', text: 'help', response_url: s.fake.responseUrl() });
    await s.fake.waitFor('response_url');
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/attest_http_requests_total\{route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/attest_http_requests_total\{route="unmatched",status="404"\} \d+/);
    expect(text).toMatch(/attest_http_requests_total\{route="\/slack\/events",status="200"\} \d+/);
    expect(text).toMatch(/attest_slack_requests_total\{kind="command"\} \d+/);
    expect(text).toContain('# TYPE attest_jobs_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 404 to an unknown route and 405 to a wrong method', async () => {
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    const res = await fetch(`${s.url}/healthz`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });
});
