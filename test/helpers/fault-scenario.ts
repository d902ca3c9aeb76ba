import { afterAll, beforeAll, expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.js';
import { baseEnv, FaultRun, scratchDir, verifyChain } from './fault-kit.js';

export type ScratchDir = ReturnType<typeof scratchDir>;

/**
 * Registers a fault scenario's hooks: before all tests its run (seed, kill log), a scratch
 * directory for the children's cwd and its own Postgres database; after them (and after the
 * file's own afterAll, which stops what it started) the database dropped, the directory removed
 * and the run's summary printed. Hooks run after the file is read, so `bind` hands them over.
 */
export function faultScenario(
  o: { scenario: string; file: string; dirPrefix: string },
  bind: (opened: { run: FaultRun; dir: ScratchDir; t: TestDatabase }) => void,
): void {
  let run: FaultRun | undefined;
  let dir: ScratchDir | undefined;
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    dir = scratchDir(o.dirPrefix);
    run = new FaultRun(o.scenario, o.file);
    t = await createTestDatabase();
    bind({ run, dir, t });
  });
  afterAll(async () => {
    await t?.drop();
    dir?.remove();
    if (run) console.log(run.summary());
  });
}

/** The end of every scenario: `attest verify` (the real CLI) finds the evidence chain intact. */
export async function expectChainIntact(run: FaultRun, dir: ScratchDir, t: TestDatabase): Promise<void> {
  const chain = await verifyChain(run, { cwd: dir.path, env: baseEnv(dir.path, t.url!) });
  expect(chain, run.explain()).toMatchObject({ ok: true });
}
