import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LogLevel, WebClient } from '@slack/web-api';
import { uploadFile } from '../../src/slack/upload-file.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-server.js';
import { ROOT } from '../helpers/attest-process.js';

const run = promisify(execFile);
const MB = 1024 * 1024;
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

let fake: FakeSlack;
let client: WebClient;
let dir: string;

beforeAll(async () => {
  fake = await startFakeSlack({ channels: ['C0COMPLY'] });
  client = new WebClient('xoxb-fake', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logger: quiet });
  dir = await mkdtemp(join(tmpdir(), 'attest-upload-test-'));
});
afterAll(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());

/** A file of random bytes written a MB at a time; returns its SHA-256. */
async function bigFile(path: string, mb: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  for (let i = 0; i < mb; i++) {
    const chunk = randomBytes(MB);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
  return hash.digest('hex');
}

describe('uploading a file to Slack', () => {
  it('streams a 50 MB file as raw bytes of the declared length, without holding it in memory', async () => {
    const path = join(dir, 'big.zip');
    const sha256 = await bigFile(path, 50);
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', join(ROOT, 'test/helpers/upload-child.ts'), fake.apiUrl, path, 'C0COMPLY'], {
      cwd: ROOT,
      timeout: 20_000,
    });
    const report = JSON.parse(stdout.trim()) as { fileId: string; baseline: number; peak: number };

    const [url] = fake.callsTo('files.getUploadURLExternal');
    expect(url!.body).toMatchObject({ filename: 'big.zip', length: String(50 * MB) });
    const [upload] = fake.callsTo('upload');
    expect(upload).toMatchObject({ key: report.fileId, contentType: 'application/octet-stream', status: 200 });
    const stored = fake.state.files.get(report.fileId)!.content!;
    expect(stored.length).toBe(50 * MB);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256);
    expect(fake.callsTo('files.completeUploadExternal')[0]!.body).toMatchObject({ channel_id: 'C0COMPLY', files: [{ id: report.fileId, title: 'Big bundle' }] });
    // filesUploadV2 with the file read whole holds ~200 MB live here (the Buffer and its copies);
    // a stream holds a few 64 KB chunks.
    expect(report.peak - report.baseline).toBeLessThan(16 * MB);
  }, 30_000);

  it('retries an upload the upload URL answered with a 5xx, sending the whole file again', async () => {
    const path = join(dir, 'small.zip');
    await writeFile(path, 'PK small bundle');
    fake.inject('upload', { status: 503 });
    const { fileId } = await uploadFile(client, { path, title: 'Small', to: { channelId: 'C0COMPLY' }, initialComment: 'hi' });
    expect(fake.callsTo('upload').map((c) => c.status)).toEqual([503, 200]);
    expect(fake.state.files.get(fileId)!.content!.toString()).toBe('PK small bundle');
  });

  it('fails without completing the upload when the upload URL refuses it', async () => {
    const path = join(dir, 'refused.zip');
    await writeFile(path, 'PK refused');
    fake.inject('upload', { status: 400, error: 'bad_length' });
    await expect(uploadFile(client, { path, title: 'Refused', to: { channelId: 'C0COMPLY' }, initialComment: 'hi' })).rejects.toThrow(/HTTP 400/);
    expect(fake.callsTo('upload')).toHaveLength(1);
    expect(fake.callsTo('files.completeUploadExternal')).toEqual([]);
  });

  it('opens the DM of a user and shares the file there', async () => {
    const path = join(dir, 'dm.zip');
    await writeFile(path, 'PK dm');
    const { channelId } = await uploadFile(client, { path, title: 'DM', to: { userId: 'U0CARA' }, initialComment: 'for you' });
    expect(channelId).toMatch(/^D/);
    expect(fake.callsTo('files.completeUploadExternal')[0]!.body).toMatchObject({ channel_id: channelId, initial_comment: 'for you' });
  });
});
