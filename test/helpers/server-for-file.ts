import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';
import { startTestServer, type TestServer, type TestServerOptions } from './serve.js';

/**
 * Registers the file's hooks around the real server (startTestServer) on a fresh database:
 * both opened before all tests and closed after them, and the fake Slack's call log emptied
 * before each test, so a test sees only the calls it caused. Hooks run after the file is read,
 * so `bind` hands them to the file's variables; seed in a beforeAll registered after this one.
 */
export function serverForFile(bind: (started: { t: TestDatabase; s: TestServer }) => void, opts: TestServerOptions = {}): void {
  let t: TestDatabase | undefined;
  let s: TestServer | undefined;
  beforeAll(async () => {
    t = await createTestDatabase();
    s = await startTestServer(t, opts);
    bind({ t, s });
  });
  afterAll(async () => {
    await s?.close();
    await t?.drop();
  });
  beforeEach(() => s!.fake.reset());
}
