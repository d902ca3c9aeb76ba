import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { rowsOf } from '../../db/rows-of.js';
import { syncRun } from '../../db/schema/index.js';
import { appendEvidence, type NewEvidence } from '../evidence/append-evidence.js';
import { applyAccounts, applyResources } from './apply-accounts.js';
import { applyGrants } from './apply-grants.js';
import { applyMfa } from './apply-mfa.js';
import { diffDirectory } from './diff-directory.js';
import { linkPeople, markLeavers } from './link-people.js';
import { massRemoval } from './mass-removal.js';
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
  base: Omit<SyncReport, 'status' | 'runId' | 'durationMs'>;
  opts: SyncOptions;
}

/**
 * The body of a run's one transaction: diff the staged read against the snapshot in SQL, hold a
 * mass removal, or apply the difference with an evidence event per change. Returns the
 * report; the caller rolls a dry run back.
 */
export async function applyRun(tx: Db, deps: Pick<Deps, 'clock' | 'logger' | 'config'>, input: ApplyRunInput): Promise<SyncReport> {
  const { source, snap } = input;
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
  // Every whole-set statement below runs with hash joins (see withHashJoins): the staged read
  // and the snapshot are joined in full, and sync_stage_person has no statistics.
  return withHashJoins(tx, () => applyStaged(tx, deps, input, now));
}

async function applyStaged(tx: Db, deps: Pick<Deps, 'clock' | 'logger' | 'config'>, input: ApplyRunInput, now: Date): Promise<SyncReport> {
  const { source, runId, snap, opts } = input;
  const baseline = await isFirstSync(tx, source);
  const scope = { source, stageId: snap.stageId, coverage: snap.coverage };
  const diff = await diffDirectory(tx, scope);
  const counts = {
    ...input.base,
    accounts: diff.accounts.read,
    resources: diff.resources.read,
    grants: diff.grants.read,
    added: diff.accounts.added + diff.grants.added,
    removed: diff.accounts.removed + diff.grants.removed,
  };
  const totals = { ...diff.accountsByStatus, danglingGrants: diff.grants.dangling, unreadGrants: diff.grants.unread };
  if (diff.grants.unread > 0 || !snap.coverage.accounts || !snap.coverage.resources) {
    deps.logger.warn({ source, unreadGrants: diff.grants.unread, coverage: snap.coverage }, 'sync could not see every list; what it did not read is kept as last seen');
  }

  const held = opts.confirmRemovals ? null : massRemoval(source, diff, deps.config.SYNC_MAX_REMOVAL_SHARE);
  if (held) {
    const report: SyncReport = { ...counts, status: 'held', runId, durationMs: 0, diff: await summariseDiff(tx, scope, diff), error: held };
    if (runId) {
      await tx.update(syncRun).set({ status: 'held', finishedAt: now, counts, totals, error: held }).where(eq(syncRun.id, runId));
      await appendEvidence(tx, deps.clock, {
        actor: `sync:${source}`,
        action: 'sync.held',
        subject: { syncRun: runId },
        payload: { reason: held, removedAccounts: diff.accounts.removed, removedGrants: diff.grants.removed, removedResources: diff.resources.removed },
      });
    }
    return report;
  }
  const summary = opts.dryRun ? await summariseDiff(tx, scope, diff) : undefined;

  // A source's first sync is its baseline: one event with the counts and a digest of the
  // whole snapshot, rather than an "added" event for each of possibly 200,000 grants.
  const tag = (events: NewEvidence[]) => (runId ? events.map((e) => ({ ...e, subject: { ...e.subject, syncRun: runId } })) : events);
  const emit = async (events: NewEvidence[]) => {
    if (!baseline && events.length > 0) await appendEvidence(tx, deps.clock, tag(events));
  };
  const people = await linkPeople(tx, { source, stageId: snap.stageId, now, recordCreations: !baseline, emit });
  const accounts = await applyAccounts(tx, { source, stageId: snap.stageId, now, diff: diff.accounts, recordAdditions: !baseline, emit });
  const mfa = await applyMfa(tx, { source, stageId: snap.stageId, now, emit });
  await applyResources(tx, { source, stageId: snap.stageId, now, diff: diff.resources, recordAdditions: !baseline, emit });
  const grants = await applyGrants(tx, { ...scope, now, diff: diff.grants, recordAdditions: !baseline, emit });
  const leavers = await markLeavers(tx, { source, now, formerPersonIds: accounts.formerPersonIds, emit });
  const verified = runId
    ? await verifyRemovals(tx, { source, runId, now, removedGrantIds: grants.removedGrantIds, disabledAccountIds: accounts.disabledAccountIds })
    : { verified: 0, events: [] };
  await emit(verified.events);
  if (baseline) {
    const payload = { people: people.people, accounts: diff.accounts.read, resources: diff.resources.read, grants: diff.grants.read, privilegedGrants: diff.grants.privileged, digest: await snapshotDigest(tx, scope) };
    await appendEvidence(tx, deps.clock, tag([{ actor: `sync:${source}`, action: 'directory.baseline', subject: { source }, payload }]));
  }

  const changed = accounts.changed + accounts.relinked + people.changed + leavers.changed;
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
    mfaChanged: mfa.changed,
    verified: verified.verified,
    status: opts.dryRun ? 'dry_run' : 'succeeded',
    runId,
    durationMs: 0,
    ...(summary ? { diff: summary } : {}),
  };
}

/** A source with no account and no resource yet: this run is its baseline. */
async function isFirstSync(tx: Db, source: string): Promise<boolean> {
  const [row] = rowsOf<{ known: boolean }>(
    await tx.execute(sql`
      select exists (select 1 from account where source = ${source}) or exists (select 1 from resource where source = ${source}) as known`),
  );
  return !row?.known;
}
