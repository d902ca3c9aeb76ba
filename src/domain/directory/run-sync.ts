import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { USABLE_STATUSES, type AccountStatus, type Connector } from '../../connectors/types.js';
import type { Deps } from '../../deps.js';
import { syncRun, type SyncCounts, type SyncStatus } from '../../db/schema/index.js';
import { appendEvidence, type NewEvidence } from '../evidence/append-evidence.js';
import { applyDiff } from './apply-diff.js';
import { diffSnapshot, grantPrivileged } from './diff-snapshot.js';
import { snapshotDigest } from './snapshot-digest.js';
import { linkPeople, markLeavers } from './link-people.js';
import { loadCurrent, type CurrentSnapshot } from './load-current.js';
import { massRemoval } from './mass-removal.js';
import { provenRemovals } from './proven-removals.js';
import { readSource, type ReadProgress, type SourceSnapshot } from './read-source.js';
import { verifyRemovals } from './verify-removals.js';
import { summariseDiff, type DiffSummary } from './summarise-diff.js';

export interface SyncReport extends SyncCounts {
  source: string;
  status: SyncStatus;
  runId: string | null;
  verified: number;
  durationMs: number;
  error?: string;
  /** Dry runs and held runs: what would change. */
  diff?: DiffSummary;
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
 * One run for one source: read it all, diff it against the snapshot, and apply the
 * difference in one transaction with an evidence event per change. A source that fails part
 * way changes nothing; one that would remove too much is held for confirmation.
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

  let runId: string | null = null;
  if (!opts.dryRun) {
    const [run] = await deps.db
      .insert(syncRun)
      .values({ source, status: 'running', startedAt, triggeredBy: opts.triggeredBy ?? 'system' })
      .returning({ id: syncRun.id });
    runId = run!.id;
  }

  // The snapshot in the database is loaded while the source is read (so the database work
  // overlaps the fetching); under the lock it is reused only if no other run applied since.
  const marker = await lastAppliedRun(deps.db, source);
  const preload = loadCurrent(deps.db, source);
  preload.catch(() => {}); // awaited below; a read failure must not leave it unhandled
  let snap;
  try {
    snap = await readSource(connector, (p) => opts.onProgress?.({ ...p, requests: requests() }));
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

  let report!: SyncReport;
  try {
    await deps.db.transaction(async (tx) => {
      // One apply per source at a time, whichever process or replica runs it.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`attest.sync.${source}`}))`);
      const now = deps.clock.now();
      // Older runs of this source still `running` belong to a process that died (a live one
      // would finish after us and record its own outcome over this): say so instead of
      // showing them running forever.
      await tx
        .update(syncRun)
        .set({ status: 'interrupted', finishedAt: now, error: 'the process running this sync stopped before it finished' })
        .where(and(eq(syncRun.source, source), eq(syncRun.status, 'running'), lt(syncRun.startedAt, startedAt)));
      const current = (await lastAppliedRun(tx, source)) === marker ? await preload : await loadCurrent(tx, source);
      const baseline = current.accounts.size === 0 && current.resources.size === 0;
      const diff = diffSnapshot(current, snap);
      const counts = {
        ...base,
        accounts: snap.accounts.size,
        resources: snap.resources.size,
        grants: snap.grants.size,
        added: diff.addedAccounts.length + diff.addedGrants.length,
        removed: diff.removedAccounts.length + diff.removedGrants.length,
        requests: requests(),
      };
      const totals = { ...countByStatus(snap), danglingGrants: snap.dangling, unreadGrants: diff.unreadGrants };
      if (diff.unreadGrants > 0 || !snap.coverage.accounts || !snap.coverage.resources) {
        deps.logger.warn({ source, unreadGrants: diff.unreadGrants, coverage: snap.coverage }, 'sync could not see every list; what it did not read is kept as last seen');
      }

      const held = opts.confirmRemovals ? null : massRemoval(source, current, diff, deps.config.SYNC_MAX_REMOVAL_SHARE);
      if (held) {
        report = { ...counts, status: 'held', runId, durationMs: 0, diff: summariseDiff(diff), error: held };
        if (runId) {
          await tx.update(syncRun).set({ status: 'held', finishedAt: now, counts, totals, error: report.error }).where(eq(syncRun.id, runId));
          await appendEvidence(tx, deps.clock, {
            actor: `sync:${source}`,
            action: 'sync.held',
            subject: { syncRun: runId },
            payload: {
              reason: held,
              removedAccounts: diff.removedAccounts.length,
              removedGrants: diff.removedGrants.length,
              removedResources: diff.removedResources.length,
            },
          });
        }
        return;
      }

      const people = await linkPeople(tx, source, snap, now);
      const applied = await applyDiff(tx, { source, now, diff, current, next: snap, personOf: people.personOf, recordAdditions: !baseline });
      const usable = usablePeople(current, snap, people.personOf);
      const linked = new Set([...people.personOf.values(), ...[...current.accounts.values()].map((a) => a.personId)].filter((x): x is string => !!x));
      const leavers = await markLeavers(tx, source, usable, linked, now);
      const verified = runId ? await verifyRemovals(tx, { source, runId, now, ...provenRemovals(diff) }) : { verified: 0, events: [] };

      // A source's first sync is its baseline: one event with the counts and a digest of the
      // whole snapshot, rather than an "added" event for each of possibly 200,000 grants.
      const events: NewEvidence[] = baseline
        ? [baselineEvent(source, snap, people.people)]
        : [...people.events, ...applied.events, ...leavers.events, ...verified.events];
      await appendEvidence(tx, deps.clock, runId ? events.map((e) => ({ ...e, subject: { ...e.subject, syncRun: runId } })) : events);

      const changed = diff.changedAccounts.length + applied.relinked + people.changed + leavers.changed;
      report = {
        ...counts,
        people: people.people,
        changed,
        verified: verified.verified,
        status: opts.dryRun ? 'dry_run' : 'succeeded',
        runId,
        durationMs: 0,
        ...(opts.dryRun ? { diff: summariseDiff(diff) } : {}),
      };
      if (opts.dryRun) throw new DryRunRollback();
      await tx
        .update(syncRun)
        .set({ status: 'succeeded', finishedAt: deps.clock.now(), counts: { ...counts, people: people.people, changed }, totals })
        .where(eq(syncRun.id, runId!));
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
  return { ...report, durationMs: elapsed() };
}

async function lastAppliedRun(db: Deps['db'], source: string): Promise<string | null> {
  const [row] = await db
    .select({ id: syncRun.id })
    .from(syncRun)
    .where(sql`${syncRun.source} = ${source} and ${syncRun.status} = 'succeeded'`)
    .orderBy(desc(syncRun.finishedAt))
    .limit(1);
  return row?.id ?? null;
}

function baselineEvent(source: string, snap: SourceSnapshot, people: number): NewEvidence {
  return {
    actor: `sync:${source}`,
    action: 'directory.baseline',
    subject: { source },
    payload: {
      people,
      accounts: snap.accounts.size,
      resources: snap.resources.size,
      grants: snap.grants.size,
      privilegedGrants: [...snap.grants.values()].filter((g) => grantPrivileged(g, snap.resources.get(g.resourceExternalId))).length,
      digest: snapshotDigest(snap),
    },
  };
}

/**
 * People with an account here that can still be used. An account a read did not list (when the
 * source does not list every account) is kept as last seen, so it counts as it was.
 */
function usablePeople(current: CurrentSnapshot, snap: SourceSnapshot, personOf: Map<string, string | null>): Set<string> {
  const usable = new Set<string>();
  for (const a of snap.accounts.values()) {
    const pid = personOf.get(a.externalId);
    if (pid && USABLE_STATUSES.includes(a.status)) usable.add(pid);
  }
  if (snap.coverage.accounts) return usable;
  for (const [ext, a] of current.accounts) {
    if (!a.removedAt && !snap.accounts.has(ext) && a.personId && USABLE_STATUSES.includes(a.status as AccountStatus)) usable.add(a.personId);
  }
  return usable;
}

function countByStatus(snap: { accounts: Map<string, { status: string }> }): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const a of snap.accounts.values()) totals[`accounts.${a.status}`] = (totals[`accounts.${a.status}`] ?? 0) + 1;
  return totals;
}
