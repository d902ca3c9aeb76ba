import { and, eq, lt, sql } from 'drizzle-orm';
import { USABLE_STATUSES, type AccountStatus } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { syncRun } from '../../db/schema/index.js';
import { appendEvidence, type NewEvidence } from '../evidence/append-evidence.js';
import { applyDiff } from './apply-diff.js';
import { applyGrants } from './apply-grants.js';
import { diffGrants } from './diff-grants.js';
import { diffSnapshot } from './diff-snapshot.js';
import { linkPeople, markLeavers } from './link-people.js';
import type { CurrentSnapshot } from './load-current.js';
import { massRemoval } from './mass-removal.js';
import { provenRemovals } from './proven-removals.js';
import type { SourceSnapshot } from './read-source.js';
import type { SyncOptions, SyncReport } from './run-sync.js';
import { snapshotDigest } from './snapshot-digest.js';
import { summariseDiff } from './summarise-diff.js';
import { sweepStages, withHashJoins } from './sync-stages.js';
import { verifyRemovals } from './verify-removals.js';

export interface ApplyRunInput {
  source: string;
  runId: string | null;
  startedAt: Date;
  snap: SourceSnapshot;
  /** The snapshot as it stands, under the source's lock. */
  loadCurrent: (tx: Db) => Promise<CurrentSnapshot>;
  base: Omit<SyncReport, 'status' | 'runId' | 'durationMs'>;
  opts: SyncOptions;
}

/**
 * The body of a run's one transaction: diff the staged read against the snapshot (grants in SQL),
 * hold a mass removal, or apply the difference with an evidence event per change. Returns the
 * report; the caller rolls a dry run back.
 */
export async function applyRun(tx: Db, deps: Pick<Deps, 'clock' | 'logger' | 'config'>, input: ApplyRunInput): Promise<SyncReport> {
  const { source, runId, snap, opts } = input;
  // One apply per source at a time, whichever process or replica runs it.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`attest.sync.${source}`}))`);
  const now = deps.clock.now();
  // Older runs of this source still `running` belong to a process that died (a live one
  // would finish after us and record its own outcome over this): say so instead of
  // showing them running forever. What they staged is swept once it is safe to (sweepStages).
  await tx
    .update(syncRun)
    .set({ status: 'interrupted', finishedAt: now, error: 'the process running this sync stopped before it finished' })
    .where(and(eq(syncRun.source, source), eq(syncRun.status, 'running'), lt(syncRun.startedAt, input.startedAt)));
  if (!(await sweepStages(tx, source, snap.stageId))) {
    throw new Error('what this run read was cleared by a later run of the same source; nothing applied');
  }
  const current = await input.loadCurrent(tx);
  const baseline = current.accounts.size === 0 && current.resources.size === 0;
  const scope = { source, stageId: snap.stageId, coverage: snap.coverage };
  const diff = diffSnapshot(current, snap, await withHashJoins(tx, () => diffGrants(tx, scope)));
  const counts = {
    ...input.base,
    accounts: snap.accounts.size,
    resources: snap.resources.size,
    grants: diff.grants.read,
    added: diff.addedAccounts.length + diff.grants.added,
    removed: diff.removedAccounts.length + diff.grants.removed,
  };
  const totals = { ...countByStatus(snap), danglingGrants: diff.grants.dangling, unreadGrants: diff.grants.unread };
  if (diff.grants.unread > 0 || !snap.coverage.accounts || !snap.coverage.resources) {
    deps.logger.warn({ source, unreadGrants: diff.grants.unread, coverage: snap.coverage }, 'sync could not see every list; what it did not read is kept as last seen');
  }

  const held = opts.confirmRemovals ? null : massRemoval(source, current, diff, deps.config.SYNC_MAX_REMOVAL_SHARE);
  if (held) {
    const report: SyncReport = { ...counts, status: 'held', runId, durationMs: 0, diff: summariseDiff(diff), error: held };
    if (runId) {
      await tx.update(syncRun).set({ status: 'held', finishedAt: now, counts, totals, error: held }).where(eq(syncRun.id, runId));
      await appendEvidence(tx, deps.clock, {
        actor: `sync:${source}`,
        action: 'sync.held',
        subject: { syncRun: runId },
        payload: { reason: held, removedAccounts: diff.removedAccounts.length, removedGrants: diff.grants.removed, removedResources: diff.removedResources.length },
      });
    }
    return report;
  }

  // A source's first sync is its baseline: one event with the counts and a digest of the
  // whole snapshot, rather than an "added" event for each of possibly 200,000 grants.
  const tag = (events: NewEvidence[]) => (runId ? events.map((e) => ({ ...e, subject: { ...e.subject, syncRun: runId } })) : events);
  const emit = async (events: NewEvidence[]) => {
    if (!baseline) await appendEvidence(tx, deps.clock, tag(events));
  };
  const people = await linkPeople(tx, source, snap, now);
  await emit(people.events);
  const applied = await applyDiff(tx, { source, now, diff, current, next: snap, personOf: people.personOf, recordAdditions: !baseline });
  await emit(applied.events);
  const grants = await withHashJoins(tx, () => applyGrants(tx, { ...scope, now, diff: diff.grants, recordAdditions: !baseline, emit }));
  const usable = usablePeople(current, snap, people.personOf);
  const linked = new Set([...people.personOf.values(), ...[...current.accounts.values()].map((a) => a.personId)].filter((x): x is string => !!x));
  const leavers = await markLeavers(tx, source, usable, linked, now);
  await emit(leavers.events);
  const verified = runId ? await verifyRemovals(tx, { source, runId, now, removedGrantIds: grants.removedGrantIds, ...provenRemovals(diff) }) : { verified: 0, events: [] };
  await emit(verified.events);
  if (baseline) {
    const payload = { people: people.people, accounts: snap.accounts.size, resources: snap.resources.size, grants: diff.grants.read, privilegedGrants: diff.grants.privileged, digest: await withHashJoins(tx, () => snapshotDigest(tx, snap, scope)) };
    await appendEvidence(tx, deps.clock, tag([{ actor: `sync:${source}`, action: 'directory.baseline', subject: { source }, payload }]));
  }

  const changed = diff.changedAccounts.length + applied.relinked + people.changed + leavers.changed;
  if (!opts.dryRun) {
    await tx
      .update(syncRun)
      .set({ status: 'succeeded', finishedAt: deps.clock.now(), counts: { ...counts, people: people.people, changed }, totals })
      .where(eq(syncRun.id, runId!));
  }
  return {
    ...counts,
    people: people.people,
    changed,
    verified: verified.verified,
    status: opts.dryRun ? 'dry_run' : 'succeeded',
    runId,
    durationMs: 0,
    ...(opts.dryRun ? { diff: summariseDiff(diff) } : {}),
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
