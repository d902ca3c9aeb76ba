import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { evidenceEvent } from '../../src/db/schema/index.js';
import type { TestDatabase } from '../helpers/db.js';
import { attestJson, baseEnv, killAfter, spawnAttest, waitUntil, type FaultRun, type KillPoint } from '../helpers/fault-kit.js';
import { expectChainIntact, faultScenario, type ScratchDir } from '../helpers/fault-scenario.js';
import { seedLaunchedCampaign } from '../helpers/fault-review-org.js';

/**
 * Scenario 5 (Postgres): `attest export --quarter … --out X.zip` (the real CLI) SIGKILLed at
 * random moments: anywhere in its life, while it streams the zip, and just after the rename
 * (before its `evidence.exported` event). The out path either
 * does not exist or holds a complete bundle that `attest verify --bundle X.zip --json` accepts.
 * A `<out>.partial` left behind is noted (it is what the zip is streamed to before the rename).
 */
const FILE = 'test/faults/export.test.ts';
const KILLS = 6;

describe.skipIf(!process.env.TEST_DATABASE_URL)('faults: attest export under SIGKILL (Postgres)', () => {
  let run: FaultRun;
  let t: TestDatabase;
  let dir: ScratchDir;
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;

  faultScenario({ scenario: 'export', file: FILE, dirPrefix: 'attest-fault-export' }, (opened) => ({ run, dir, t } = opened));
  beforeAll(async () => {
    // A campaign of ~5,000 items: enough rows that writing the bundle takes a moment.
    const started = Date.now();
    const { summary } = await seedLaunchedCampaign(t, { managers: 120, reportsPer: 5 });
    run.note(`seeded a campaign of ${summary.items} items in ${Date.now() - started} ms`);
  }, 180_000);

  const env = () => baseEnv(dir.path, t.url!);
  const exportTo = (out: string) =>
    spawnAttest(['export', '--quarter', quarter, '--out', out, '--json'], { cwd: dir.path, env: env(), name: `attest export → ${out.split('/').pop()}` });

  it('leaves either no bundle or a complete one that verifies', async () => {
    // Calibration: an export left alone (how long in all, how long writing the zip); every
    // export that finishes before its kill re-calibrates, since the load on the machine varies.
    const first = join(dir.path, 'whole.zip');
    const whole = await timedExport(first).done;
    expect(whole.code, run.explain()).toBe(0);
    let wallMs = whole.wallMs;
    let writeMs = whole.writeMs;
    run.note(`an export of ${quarter} takes ${wallMs} ms, ${writeMs} ms of it writing the zip`);
    expect(await verifyBundle(first), run.explain()).toMatchObject({ ok: true });

    const outcomes: string[] = [];
    // A kill that comes too late (the export had finished) does not count; another is tried.
    for (let k = 0, landed = 0; landed < KILLS && k < KILLS + 6; k += 1) {
      const out = join(dir.path, `killed-${k}.zip`);
      const kind = (['anywhere', 'writing', 'renamed'] as const)[k % 3]!;
      const timed = timedExport(out);
      const p = timed.proc;
      let kill: KillPoint;
      if (kind === 'renamed') {
        // Just after the rename: the bundle is in place, its evidence.exported event may not be.
        await waitUntil(`export ${k} to rename its bundle into place`, () => existsSync(out) || !p.alive(), { timeoutMs: 120_000, intervalMs: 2, explain: () => run.explain() });
        kill = await killAfter(run, p, run.rng.between(0, 40), `export ${k}, just after the rename`);
      } else if (kind === 'writing') {
        await waitUntil(`export ${k} to start writing`, () => existsSync(`${out}.partial`) || !p.alive(), { timeoutMs: 120_000, intervalMs: 5, explain: () => run.explain() });
        kill = await killAfter(run, p, run.rng.between(0, writeMs * 0.95), `export ${k}, while writing the zip`);
      } else {
        kill = await killAfter(run, p, run.rng.between(0.1 * wallMs, 0.9 * wallMs), `export ${k}, anywhere`, () => (existsSync(`${out}.partial`) ? 'writing' : 'not writing yet'));
      }
      const measured = await timed.done;
      if (!kill.landed) {
        ({ wallMs, writeMs } = measured);
        outcomes.push(`#${k}: finished before the kill (re-calibrated: ${wallMs} ms, ${writeMs} ms writing)`);
        continue;
      }
      landed += 1;
      const partial = existsSync(`${out}.partial`);
      if (!existsSync(out)) {
        outcomes.push(`#${k} ${kind}: no bundle${partial ? ', .partial left behind' : ''}`);
        continue;
      }
      const report = await verifyBundle(out);
      expect(report, `the killed export left ${out}, which does not verify\n${run.explain()}`).toMatchObject({ ok: true });
      // The export is logged after the rename: a kill in between leaves a bundle the log does not mention.
      const sha256 = createHash('sha256').update(readFileSync(out)).digest('hex');
      const logged = await t.db.select({ n: sql<number>`count(*)::int` }).from(evidenceEvent).where(sql`${evidenceEvent.action} = 'evidence.exported' and ${evidenceEvent.subject}->>'bundle' = ${sha256}`);
      outcomes.push(`#${k} ${kind}: complete bundle, verifies${logged[0]!.n === 0 ? ', but no evidence.exported event records it' : ''}${partial ? ', .partial left behind' : ''}`);
    }
    run.note(`outcomes: ${outcomes.join('; ')}`);
    expect(run.landed(), run.explain()).toBe(KILLS);

    const exported = await t.db.select({ n: sql<number>`count(*)::int` }).from(evidenceEvent).where(eq(evidenceEvent.action, 'evidence.exported'));
    run.note(`${exported[0]!.n} evidence.exported events`);
    await expectChainIntact(run, dir, t);
  }, 420_000);

  /** Spawns an export to `out`, watching when its .partial appears; `done` has its timings. */
  function timedExport(out: string) {
    const started = Date.now();
    const proc = exportTo(out);
    run.track(proc);
    let partialAt: number | undefined;
    const watch = setInterval(() => {
      if (partialAt === undefined && existsSync(`${out}.partial`)) partialAt = Date.now();
    }, 5);
    const done = proc.exited.then(({ code }) => {
      clearInterval(watch);
      const wallMs = Date.now() - started;
      return { code, wallMs, writeMs: Math.max(wallMs - (partialAt ?? started), 50) };
    });
    return { proc, done };
  }

  async function verifyBundle(file: string) {
    return attestJson<{ ok: boolean }>(run, ['verify', '--bundle', file], { cwd: dir.path, env: env() });
  }
});
