import type { SourceAccount, SourceResource } from '../../connectors/types.js';
import type { Account, Resource } from '../../db/schema/index.js';
import { canonicalJson } from '../evidence/canonical.js';
import type { GrantDiff } from './diff-grants.js';
import type { CurrentSnapshot } from './load-current.js';
import type { SourceSnapshot } from './read-source.js';

export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

export interface SnapshotDiff {
  /** Not in the database, or there but removed earlier (then `row` is set). */
  addedAccounts: { src: SourceAccount; row?: Account }[];
  changedAccounts: { src: SourceAccount; row: Account; changes: FieldChanges }[];
  removedAccounts: Account[];
  addedResources: { src: SourceResource; row?: Resource }[];
  changedResources: { src: SourceResource; row: Resource; changes: FieldChanges }[];
  removedResources: Resource[];
  /** Grants are diffed in the database (diffGrants): only their counts are here. */
  grants: GrantDiff;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function accountChanges(row: Account, src: SourceAccount): FieldChanges {
  const changes: FieldChanges = {};
  const pairs: [string, unknown, unknown][] = [
    ['system', row.system, src.system],
    ['login', row.login, src.login],
    ['email', row.email, src.email],
    ['displayName', row.displayName, src.displayName],
    ['status', row.status, src.status],
    ['lastLoginAt', iso(row.lastLoginAt), iso(src.lastLoginAt)],
    ['attrs', canonicalJson(row.attrs), canonicalJson(attrsOf(src))],
  ];
  for (const [k, from, to] of pairs) if (from !== to) changes[k] = { from, to };
  return changes;
}

function resourceChanges(row: Resource, src: SourceResource): FieldChanges {
  const changes: FieldChanges = {};
  const pairs: [string, unknown, unknown][] = [
    ['system', row.system, src.system],
    ['kind', row.kind, src.kind],
    ['name', row.name, src.name],
    ['privileged', row.privileged, src.privileged],
    ['ownerEmail', row.ownerEmail, src.ownerEmail?.toLowerCase() ?? null],
    ['attrs', canonicalJson(row.attrs), canonicalJson(src.attrs ?? {})],
  ];
  for (const [k, from, to] of pairs) if (from !== to) changes[k] = { from, to };
  return changes;
}

/** The account's stored attributes: the connector's extras plus the raw provider status. */
export function attrsOf(src: SourceAccount): Record<string, unknown> {
  return { ...(src.attrs ?? {}), rawStatus: src.rawStatus };
}

/**
 * Pure: what must change in the accounts and resources to make them match what the source
 * reported; the grant side, computed in SQL, is passed in.
 */
export function diffSnapshot(current: CurrentSnapshot, next: SourceSnapshot, grants: GrantDiff): SnapshotDiff {
  const diff: SnapshotDiff = {
    addedAccounts: [],
    changedAccounts: [],
    removedAccounts: [],
    addedResources: [],
    changedResources: [],
    removedResources: [],
    grants,
  };
  for (const [ext, src] of next.accounts) {
    const row = current.accounts.get(ext);
    if (!row || row.removedAt) diff.addedAccounts.push(row ? { src, row } : { src });
    else {
      const changes = accountChanges(row, src);
      if (Object.keys(changes).length > 0) diff.changedAccounts.push({ src, row, changes });
    }
  }
  // Missing from a read that did not list them all is unknown, not gone.
  for (const [ext, row] of next.coverage.accounts ? current.accounts : []) {
    if (!row.removedAt && !next.accounts.has(ext)) diff.removedAccounts.push(row);
  }
  for (const [ext, src] of next.resources) {
    const row = current.resources.get(ext);
    if (!row || row.removedAt) diff.addedResources.push(row ? { src, row } : { src });
    else {
      const changes = resourceChanges(row, src);
      if (Object.keys(changes).length > 0) diff.changedResources.push({ src, row, changes });
    }
  }
  for (const [ext, row] of next.coverage.resources ? current.resources : []) {
    if (!row.removedAt && !next.resources.has(ext)) diff.removedResources.push(row);
  }
  return diff;
}
