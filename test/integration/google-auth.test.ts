import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGoogleConnector } from '../../src/connectors/google/index.js';
import { PermanentError } from '../../src/connectors/types.js';
import { drain } from '../fakes/google/drain.js';
import { ADMIN, seedSampleOrg } from '../fakes/google/sample-org.js';
import { generateServiceAccount, writeKeyFile, type ServiceAccountKeys } from '../fakes/google/service-account.js';
import { startFakeGoogleWithKey, type FakeGoogle } from '../fakes/google-server.js';

const directory = (s: string) => `https://www.googleapis.com/auth/admin.directory.${s}`;
const READ = [directory('user.readonly'), directory('group.readonly'), directory('group.member.readonly')];
const WRITE = [directory('user'), directory('group.member')];

let dir: string;
let keys: ServiceAccountKeys;
let fake: FakeGoogle | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attest-google-auth-'));
  keys = generateServiceAccount();
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const connect = (keyFile: string, url: string, adminSubject = ADMIN) =>
  createGoogleConnector({ credentialsFile: keyFile, adminSubject, apiUrl: url, retry: { retries: 1, baseDelayMs: 5 } });

describe('Google connector: credentials', () => {
  it("fetches one token from the key file's token_uri with a signed JWT acting as the admin", async () => {
    const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN] });
    fake = started.fake;
    seedSampleOrg(fake.store);

    const { accounts } = await drain(connect(started.keyFile, fake.url));

    expect(accounts.length).toBeGreaterThan(0);
    // Member listings run concurrently yet share one token request.
    expect(fake.counts.token).toBe(1);
    expect(fake.issued).toHaveLength(1);
    expect(fake.issued[0]).toMatchObject({ sub: ADMIN, scopes: READ });
  });

  it('is refused when the key does not match the service account', async () => {
    const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN] });
    fake = started.fake;
    const stranger = generateServiceAccount(keys.clientEmail);
    const keyFile = writeKeyFile(mkdtempSync(join(dir, 'other-')), stranger, fake.tokenUri);

    const error = await drain(connect(keyFile, fake.url)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('Invalid JWT Signature');
    expect(fake.apiRequests()).toBe(0);
  });

  it('is refused when acting as someone delegation does not allow', async () => {
    const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN] });
    fake = started.fake;
    const error = await drain(connect(started.keyFile, fake.url, 'mallory@example.com')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('invalid_grant');
  });

  it('keeps reading with read-only delegation and fails actions with a permanent error', async () => {
    const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN], authorisedScopes: READ });
    fake = started.fake;
    const { users } = seedSampleOrg(fake.store);
    const connector = connect(started.keyFile, fake.url);

    await expect(drain(connector)).resolves.toMatchObject({ accounts: expect.any(Array) });
    const error = await connector.suspendAccount!(users.grace.id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain('unauthorized_client');
    expect(fake.store.findUser(users.grace.id)?.suspended).toBe(false);
  });

  it('asks for the write scopes only when it acts', async () => {
    const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN] });
    fake = started.fake;
    const { users } = seedSampleOrg(fake.store);
    await connect(started.keyFile, fake.url).suspendAccount!(users.grace.id);
    expect(fake.issued.map((t) => t.scopes)).toEqual([WRITE]);
  });

  it('gets a fresh token when the API stops accepting the old one', async () => {
    const started = await startFakeGoogleWithKey(dir, { keys, subjects: [ADMIN] });
    fake = started.fake;
    seedSampleOrg(fake.store);
    const connector = connect(started.keyFile, fake.url);

    const first = await drain(connector);
    fake.revokeTokens();
    const second = await drain(connector);

    expect(second.accounts).toHaveLength(first.accounts.length);
    expect(fake.counts.token).toBe(2);
  });

  it('refuses at start a key file that is missing, malformed, or sends tokens over plain http', () => {
    expect(() => connect(join(dir, 'nope.json'), 'https://admin.googleapis.com/')).toThrow(/ENOENT/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ client_email: 'x@y' }));
    expect(() => connect(bad, 'https://admin.googleapis.com/')).toThrow(/private_key/);
    const plain = writeKeyFile(mkdtempSync(join(dir, 'plain-')), keys, 'http://tokens.example.com/token');
    expect(() => connect(plain, 'https://admin.googleapis.com/')).toThrow(/token_uri must be https/);
    const anyKey = writeKeyFile(mkdtempSync(join(dir, 'ok-')), keys, 'https://oauth2.googleapis.com/token');
    expect(() => connect(anyKey, 'http://admin.example.com/')).toThrow(/GOOGLE_API_URL must be https/);
  });
});
