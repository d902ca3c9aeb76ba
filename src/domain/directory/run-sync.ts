import { randomUUID } from 'node:crypto';
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Connector } from '../../connectors/types.js';
import type { Deps } from '../../deps.js';
import { syncRun, type SyncCounts, type SyncStatus } from '../../db/schema/index.js';
import { announceUnapprovedAccess } from '../drift/announce-unapproved-access.js';
import { applyRun } from './apply-run.js';
import { readMfa } from './read-mfa.js';
import { readSource, type ReadProgress } from './read-source.js';
import type { DiffSummary } from './summarise-diff.js';
import { analyseSnapshot, analyseStage, dropStage, openStage } from './sync-stages.js';

export interface SyncReport extends SyncCounts {
  source: string;
  status: SyncStatus;
  runId: string | null;
  verified: number;
  durationMs: number;
  error?: string;
  /** Dry runs and held runs: what would change. */
  diff?: DiffSummary;
  /** Requests made to read MFA apart from the directory (Okta's factors); not in `requests`. */
  mfaRequests?: number;
  /** Time the MFA read took, after the directory read; part of `durationMs`. */
  mfaMs?: number;
  /** Accounts whose MFA on record changed (each an `account.mfa_changed` event); not in `changed`. */
  mfaChanged?: number;
}

export interface SyncOptions {
  dryRun?: boolean;
  /** Apply a run even though it removes more than SYNC_MAX_REMOVAL_SHARE of the accounts, grants or resources. */
  confirmRemovals?: boolean;
  triggeredBy?: string;
  onProgress?: (p: ReadProgress & { requests: number }) => void;
}

/** Thrown inside the transaction to roll back a dry run once its report is computed. */
class DryRunRollback extends Error {}

/**
 * One run for one source: stream it into staging tables as it is read, diff that against the
 * snapshot in SQL, and apply the difference in one transaction with an evidence event
 * per change. A source that fails part way changes nothing; one that would remove too much is
 * held for confirmation. The staged rows are dropped when the run ends, however it ends.
 */
export async function runSync(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'config'>,
  connector: Connector,
  opts: SyncOptions = {},
): Promise<SyncReport> {
  const started = performance.now();
  const source = connector.source;
  const startedAt = deps.clock.now();
  const base = { source, people: 0, accounts: 0, resources: 0, grants: 0, added: 0, removed: 0, changed: 0, requests: 0, verified: 0 };
  const elapsed = () => Math.round(performance.now() - started);
  const requests = () => connector.stats?.().requests ?? 0;

  // Before this run's own record: the interval the MFA rotation spreads its reads over.
  const previousStart = opts.dryRun ? null : await previousSucceededStart(deps.db, source, startedAt);
  let runId: string | null = null;
  if (!opts.dryRun) {
    const [run] = await deps.db
      .insert(syncRun)
      .values({ source, status: 'running', startedAt, triggeredBy: opts.triggeredBy ?? 'system' })
      .returning({ id: syncRun.id });
    runId = run!.id;
  }
  const stageId = runId ?? randomUUID();
  await openStage(deps.db, source, stageId);
  try {
    let snap;
    try {
      snap = await readSource(deps.db, connector, stageId, (p) => opts.onProgress?.({ ...p, requests: requests() }));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      deps.logger.warn({ source, err: error }, 'sync read failed; nothing applied');
      if (runId) {
        await deps.db
          .update(syncRun)
          .set({ status: 'failed', finishedAt: deps.clock.now(), error, counts: { requests: requests() } })
          .where(eq(syncRun.id, runId));
      }
      return { ...base, requests: requests(), status: 'failed', runId, error, durationMs: elapsed() };
    }

    // Outside the transaction, so the lock ANALYZE takes is not held through the apply.
    await analyseStage(deps.db);
    // After the directory read, never during it (and on analysed staging, as it joins the whole
    // read); a dry run leaves the rotation where it is.
    const directoryRequests = requests();
    const sincePreviousMs = previousStart ? startedAt.getTime() - previousStart.getTime() : null;
    const mfa = opts.dryRun ? null : await readMfa(deps.db, connector, { source, stageId, sincePreviousMs });
    if (mfa?.error) deps.logger.warn({ source, err: mfa.error, asked: mfa.asked }, 'sync: MFA read stopped part way; the rest keeps what is on record');
    let report!: SyncReport;
    try {
      await deps.db.transaction(async (tx) => {
        report = await applyRun(tx, deps, {
          source,
          runId,
          startedAt,
          snap,
          base: { ...base, requests: directoryRequests, ...(mfa ? { mfaRequests: mfa.requests } : {}) },
          opts,
        });
        if (opts.dryRun) throw new DryRunRollback();
      });
    } catch (err) {
      if (!(err instanceof DryRunRollback)) {
        if (runId) {
          const error = err instanceof Error ? err.message : String(err);
          await deps.db.update(syncRun).set({ status: 'failed', finishedAt: deps.clock.now(), error }).where(eq(syncRun.id, runId));
        }
        throw err;
      }
    }
    // Committed: grants this run added with nothing behind them reach their owner now (issue 14).
    if (report.status === 'succeeded' && runId) await announceUnapprovedAccess(deps, runId);
    // A run that changed much of the snapshot (a first sync fills it) refreshes its statistics.
    if (report.status === 'succeeded' && report.added + report.removed > Math.max(1000, report.grants / 5)) await analyseSnapshot(deps.db);
    return { ...report, ...(mfa ? { mfaMs: mfa.ms } : {}), durationMs: elapsed() };
  } finally {
    await dropStage(deps.db, stageId).catch((err: unknown) => {
      // Harmless to leave: keyed by this run, and the next run of the source sweeps it.
      deps.logger.warn({ source, err: err instanceof Error ? err.message : String(err) }, 'could not drop a sync run\'s staging rows');
    });
  }
}

/** When the source's last succeeded run started (null before its first). */
async function previousSucceededStart(db: Deps['db'], source: string, before: Date): Promise<Date | null> {
  const [prev] = await db
    .select({ startedAt: syncRun.startedAt })
    .from(syncRun)
    .where(and(eq(syncRun.source, source), eq(syncRun.status, 'succeeded'), lt(syncRun.startedAt, before)))
    .orderBy(desc(syncRun.startedAt))
    .limit(1);
  return prev?.startedAt ?? null;
}
