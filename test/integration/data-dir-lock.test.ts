import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';

/** Two processes on one PGlite directory would fork the chain: the second is refused (exit 5). */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'src/cli/run.ts');
const TSX = import.meta.resolve('tsx');
const cwd = mkdtempSync(join(tmpdir(), 'attest-lock-'));
const dataDir = join(cwd, 'data');

function attest(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, TZ: 'UTC', LOG_LEVEL: 'silent', DATA_DIR: dataDir },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
}

afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the PGlite data directory lock', () => {
  it('refuses a second process while the first holds DATA_DIR, naming the holder and DATABASE_URL', { timeout: 60_000 }, async () => {
    const first = await openDatabase({ dataDir });
    try {
      await first.migrate();
      const r = await attest('verify');
      expect(r.status).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`in use by process ${process.pid}`);
      expect(r.stderr).toContain('DATABASE_URL');
    } finally {
      await first.close();
    }
    // Released on close: the next process gets in.
    const ok = await attest('verify', '--json');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
  });

  it('takes over a lock left by a process that died (kill -9)', { timeout: 60_000 }, async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const lock = join(dataDir, 'attest.lock');
    writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout), host: hostname(), startedAt: '2026-01-01T00:00:00Z' }));
    const r = await attest('verify', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(() => readFileSync(lock)).toThrow(); // the taker released it on exit
  });
});
