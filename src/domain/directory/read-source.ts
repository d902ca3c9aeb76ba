import type { Connector, ReadCoverage, SourceAccount, SourceResource } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { STAGED_MFA_KEY } from './directory-sql.js';
import { StageWriter, stageStatements } from './stage-writer.js';

/**
 * What one source reported. Everything read is in the staging tables under `stageId` and is
 * diffed there, in SQL: nothing here grows with the org.
 */
export interface SourceSnapshot {
  stageId: string;
  /** Grants read, duplicates included (each page's count, for progress). */
  grantsRead: number;
  /** The lists this read covered in full: only there does an absence mean "gone". */
  coverage: ReadCoverage;
}

export interface ReadProgress {
  accounts: number;
  resources: number;
  grants: number;
}

const norm = (e: string | null | undefined) => e?.trim().toLowerCase() || null;

/** The email that ties an account to a person: the person's, the account's, or a login that is one. */
export function linkEmail(a: SourceAccount): string | null {
  return norm(a.person?.email) ?? norm(a.email) ?? (a.login.includes('@') ? norm(a.login) : null);
}

/** The account's stored attributes: the connector's extras plus the raw provider status. */
export function attrsOf(src: SourceAccount): Record<string, unknown> {
  return { ...(src.attrs ?? {}), rawStatus: src.rawStatus };
}

/** An account as staged: its row, the email that links it, and what it says of its person. */
function accountRow(a: SourceAccount, seq: number): Record<string, unknown> {
  return {
    e: a.externalId,
    q: seq,
    sy: a.system,
    l: a.login,
    em: a.email,
    d: a.displayName,
    st: a.status,
    ll: a.lastLoginAt,
    o: norm(a.ownerEmail),
    // Absent when this read did not look: the account's MFA on record then stays.
    at: a.mfa ? { ...attrsOf(a), [STAGED_MFA_KEY]: { e: a.mfa.enrolled, f: a.mfa.enforced ?? null } } : attrsOf(a),
    le: linkEmail(a),
    hp: a.person !== null && a.person !== undefined,
    pn: a.person?.name ?? '',
    pt: a.person?.title ?? null,
    pd: a.person?.department ?? null,
    me: norm(a.person?.managerEmail),
    mr: a.person?.managerRef || null,
  };
}

function resourceRow(r: SourceResource): Record<string, unknown> {
  return {
    e: r.externalId,
    p: r.privileged,
    m: r.membersRead !== false,
    sy: r.system,
    k: r.kind,
    nm: r.name,
    o: r.ownerEmail?.toLowerCase() ?? null,
    at: r.attrs ?? {},
  };
}

/**
 * Drains the connector page by page, writing each page to the staging tables while the next
 * ones are fetched. Throws whatever the connector (or a staging write) throws: a source that was
 * not read to the end must not be applied. The staging rows are the caller's to drop.
 */
export async function readSource(
  db: Db,
  connector: Connector,
  stageId: string,
  onProgress?: (p: ReadProgress) => void,
  signal?: AbortSignal,
): Promise<SourceSnapshot> {
  const coverage: ReadCoverage = { accounts: true, resources: true };
  const writer = new StageWriter(db, stageStatements(stageId));
  const read = { accounts: 0, resources: 0, grants: 0 };
  try {
    for await (const page of connector.read(signal)) {
      if (page.coverage?.accounts === false) coverage.accounts = false;
      if (page.coverage?.resources === false) coverage.resources = false;
      for (const a of page.accounts ?? []) {
        read.accounts += 1;
        await writer.add('account', accountRow(a, read.accounts));
      }
      for (const r of page.resources ?? []) {
        read.resources += 1;
        await writer.add('resource', resourceRow(r));
      }
      for (const g of page.grants ?? []) {
        await writer.add('grant', { a: g.accountExternalId, r: g.resourceExternalId, v: g.via, p: Boolean(g.privileged) });
      }
      read.grants += page.grants?.length ?? 0;
      onProgress?.({ ...read });
    }
    await writer.finish();
  } catch (err) {
    await writer.abandon();
    throw err;
  }
  return { stageId, grantsRead: read.grants, coverage };
}
