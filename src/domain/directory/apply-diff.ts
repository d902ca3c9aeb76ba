import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { account, resource } from '../../db/schema/index.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { attrsOf, type SnapshotDiff } from './diff-snapshot.js';
import type { CurrentSnapshot } from './load-current.js';
import type { SourceSnapshot } from './read-source.js';

const CHUNK = 2000;

function* chunks<T>(list: T[]): Generator<T[]> {
  for (let i = 0; i < list.length; i += CHUNK) yield list.slice(i, i + CHUNK);
}

interface ApplyInput {
  source: string;
  now: Date;
  diff: SnapshotDiff;
  current: CurrentSnapshot;
  next: SourceSnapshot;
  personOf: Map<string, string | null>;
  /** False on a source's first sync: one baseline event stands for the whole population. */
  recordAdditions: boolean;
}

/**
 * Writes the difference in accounts and resources: new and changed rows, and `removed_at` on
 * what disappeared (the grants follow, in SQL: applyGrants). Rows that did not change are not
 * touched, so an unchanged re-sync writes nothing.
 */
export async function applyDiff(tx: Db, input: ApplyInput): Promise<{ events: NewEvidence[]; relinked: number }> {
  const { source, now, diff, current, next, personOf, recordAdditions } = input;
  const actor = `sync:${source}`;
  const events: NewEvidence[] = [];
  const accountId = new Map<string, string>([...current.accounts].map(([ext, a]) => [ext, a.id]));

  const accountValues = (ext: string) => {
    const a = next.accounts.get(ext)!;
    return {
      system: a.system,
      login: a.login,
      email: a.email,
      displayName: a.displayName,
      status: a.status,
      lastLoginAt: a.lastLoginAt,
      attrs: attrsOf(a),
      personId: personOf.get(ext) ?? null,
    };
  };

  for (const batch of chunks(diff.addedAccounts)) {
    const rows = await tx
      .insert(account)
      .values(batch.map(({ src }) => ({ source, externalId: src.externalId, ...accountValues(src.externalId), firstSeenAt: now, lastSeenAt: now })))
      .onConflictDoUpdate({
        target: [account.source, account.externalId],
        set: {
          system: sql`excluded.system`,
          login: sql`excluded.login`,
          email: sql`excluded.email`,
          displayName: sql`excluded.display_name`,
          status: sql`excluded.status`,
          lastLoginAt: sql`excluded.last_login_at`,
          attrs: sql`excluded.attrs`,
          personId: sql`excluded.person_id`,
          lastSeenAt: now,
          removedAt: null,
        },
      })
      .returning({ id: account.id, externalId: account.externalId });
    for (const r of rows) accountId.set(r.externalId, r.id);
  }
  for (const { src } of recordAdditions ? diff.addedAccounts : []) {
    events.push({
      actor,
      action: 'account.created',
      subject: { account: accountId.get(src.externalId)!, ...(personOf.get(src.externalId) ? { person: personOf.get(src.externalId)! } : {}) },
      payload: { system: src.system, login: src.login, status: src.status, orphaned: !personOf.get(src.externalId) },
    });
  }

  let relinked = 0;
  const addedIds = new Set(diff.addedAccounts.map((a) => a.src.externalId));
  const changedById = new Map(diff.changedAccounts.map((c) => [c.row.id, c]));
  for (const [ext, row] of current.accounts) {
    if (addedIds.has(ext) || row.removedAt || !next.accounts.has(ext)) continue;
    const changed = changedById.get(row.id);
    const personId = personOf.get(ext) ?? null;
    if (!changed && personId === row.personId) continue;
    await tx.update(account).set({ ...accountValues(ext), lastSeenAt: now }).where(eq(account.id, row.id));
    if (personId !== row.personId) relinked += 1;
    const statusChange = changed?.changes.status;
    if (statusChange) {
      events.push({ actor, action: 'account.status_changed', subject: { account: row.id }, payload: { login: row.login, system: row.system, from: statusChange.from, to: statusChange.to } });
    }
    if (personId !== row.personId) {
      events.push({ actor, action: 'account.linked', subject: { account: row.id }, payload: { login: row.login, from: row.personId, to: personId } });
    }
  }
  for (const batch of chunks(diff.removedAccounts)) {
    await tx.update(account).set({ removedAt: now }).where(inArray(account.id, batch.map((a) => a.id)));
    for (const a of batch) {
      events.push({ actor, action: 'account.removed', subject: { account: a.id }, payload: { login: a.login, system: a.system, lastStatus: a.status } });
    }
  }

  await applyResources(tx, source, now, diff, recordAdditions ? events : []);
  return { events, relinked };
}

async function applyResources(tx: Db, source: string, now: Date, diff: SnapshotDiff, events: NewEvidence[]) {
  const actor = `sync:${source}`;
  const resourceId = new Map<string, string>();
  for (const batch of chunks(diff.addedResources)) {
    const rows = await tx
      .insert(resource)
      .values(
        batch.map(({ src }) => ({
          source,
          system: src.system,
          externalId: src.externalId,
          kind: src.kind,
          name: src.name,
          privileged: src.privileged,
          ownerEmail: src.ownerEmail?.toLowerCase() ?? null,
          attrs: src.attrs ?? {},
          firstSeenAt: now,
          lastSeenAt: now,
        })),
      )
      .onConflictDoUpdate({
        target: [resource.source, resource.externalId],
        set: { name: sql`excluded.name`, kind: sql`excluded.kind`, privileged: sql`excluded.privileged`, ownerEmail: sql`excluded.owner_email`, attrs: sql`excluded.attrs`, removedAt: null, lastSeenAt: now },
      })
      .returning({ id: resource.id, externalId: resource.externalId });
    for (const r of rows) resourceId.set(r.externalId, r.id);
    for (const { src } of batch) {
      events.push({ actor, action: 'resource.created', subject: { resource: resourceId.get(src.externalId)! }, payload: { system: src.system, kind: src.kind, name: src.name, privileged: src.privileged } });
    }
  }
  for (const { src, row, changes } of diff.changedResources) {
    await tx
      .update(resource)
      .set({ system: src.system, kind: src.kind, name: src.name, privileged: src.privileged, ownerEmail: src.ownerEmail?.toLowerCase() ?? null, attrs: src.attrs ?? {}, lastSeenAt: now })
      .where(eq(resource.id, row.id));
    events.push({ actor, action: 'resource.changed', subject: { resource: row.id }, payload: { name: row.name, changes } });
  }
  for (const batch of chunks(diff.removedResources)) {
    await tx.update(resource).set({ removedAt: now }).where(inArray(resource.id, batch.map((r) => r.id)));
    for (const r of batch) events.push({ actor, action: 'resource.removed', subject: { resource: r.id }, payload: { name: r.name, system: r.system } });
  }
}
