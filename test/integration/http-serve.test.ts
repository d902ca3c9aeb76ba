import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');

/**
 * Runs `attest serve` as `npm start` would, from an empty directory (so no .env is read).
 * Asynchronously: a fake Slack in this process must keep answering meanwhile.
 */
function serve(env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'attest-serve-'));
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: cwd, DATA_DIR: join(cwd, 'data') };
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], { cwd, env: { ...base, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((resolve) =>
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

describe('attest serve', () => {
  it('stops at once without Slack settings, printing only the line that says what to set', async () => {
    const r = await serve({});
    expect(r.status).toBe(78);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^attest: Slack is not configured: set SLACK_BOT_TOKEN .* and SLACK_SIGNING_SECRET/);
  });

  it('names the signing secret when only the bot token is set', async () => {
    const r = await serve({ SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('set SLACK_SIGNING_SECRET');
    expect(r.stderr).not.toContain('set SLACK_BOT_TOKEN');
  });
});

describe('attest serve with Slack configured', () => {
  it('migrates, seeds the admins, serves, and exits 0 on SIGTERM', async () => {
    const { startFakeSlack } = await import('../fakes/slack-server.js');
    const { openDatabase } = await import('../../src/db/client.js');
    const { personRole } = await import('../../src/db/schema/index.js');
    const fake = await startFakeSlack();
    const cwd = mkdtempSync(join(tmpdir(), 'attest-serve-'));
    const child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], {
      cwd,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: cwd,
        DATA_DIR: join(cwd, 'data'),
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-serve-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: fake.apiUrl,
        ATTEST_ADMINS: 'root@example.com',
      },
    });
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line; stderr: ${stderr}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /"port":(\d+)[^\n]*attest is serving/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    try {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // One auth.test at start gives Bolt the bot's ids; none per request after that.
      expect(fake.callsTo('auth.test')).toHaveLength(1);
      expect(stderr).not.toContain('xoxb-serve-test');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await fake.close();
    }
    const db = await openDatabase({ dataDir: join(cwd, 'data') });
    try {
      const roles = await db.db.select().from(personRole);
      expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'compliance', 'hr', 'it']);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('stops with the CONFIG exit code when Slack refuses the bot token', async () => {
    const { startFakeSlack } = await import('../fakes/slack-server.js');
    const fake = await startFakeSlack({ tokens: ['xoxb-the-right-one'] });
    try {
      const r = await serve({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: fake.apiUrl, PORT: '0' });
      expect(r.status).toBe(78);
      expect(r.stderr).toContain('Slack refused SLACK_BOT_TOKEN (invalid_auth)');
    } finally {
      await fake.close();
    }
  }, 60_000);
});
