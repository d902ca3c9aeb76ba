import type { Db } from '../../db/client.js';
import { inspectEvidencePrivileges, type EvidencePrivileges } from '../../db/evidence-privileges.js';
import { ok, warn, type Check, type CheckOutcome } from './types.js';

export const EVIDENCE_ROLE_CHECK = 'evidence_role';

const README = 'README: Two database roles';
const RESTRICT =
  "create a login role for Attest, set ATTEST_APP_ROLE to it and run `attest migrate --grant-to <role>` with the owner's DATABASE_URL, then run `attest serve` with that role's DATABASE_URL";

/**
 * Whether the role Attest runs as could rewrite the evidence log. A warning, not a failure:
 * the append-only trigger still refuses UPDATE, DELETE and TRUNCATE, but a role that owns the
 * table (or a superuser) can disable that trigger, so the log is only as safe as that role.
 */
export function describeEvidenceRole(kind: 'postgres' | 'pglite', p: EvidencePrivileges | null): CheckOutcome {
  if (kind === 'pglite') {
    return warn(
      'PGlite is single-user: anyone who can write DATA_DIR can edit the evidence',
      `use DATABASE_URL with a restricted role (${README})`,
    );
  }
  if (!p) return warn('evidence_event is not there to inspect', 'run `attest migrate` with the owner\'s DATABASE_URL');
  if (p.canAlter) {
    const why = p.superuser ? 'is a superuser' : p.role === p.owner ? 'owns evidence_event' : `is a member of ${p.owner}, which owns evidence_event`;
    return warn(`role ${p.role} ${why}: it can ALTER the table, disable its append-only trigger and rewrite evidence`, `${RESTRICT} (${README})`);
  }
  if (p.extra.length > 0) {
    return warn(
      `role ${p.role} holds ${p.extra.join(', ')} on evidence_event, which it never needs (the trigger still refuses changes)`,
      `run \`attest migrate --grant-to ${p.role}\` with the owner's DATABASE_URL: it revokes them (${README})`,
    );
  }
  if (!p.canAppend || p.tablesLacking.length > 0) {
    const missing = [...(p.canAppend ? [] : ['evidence_event']), ...p.tablesLacking];
    return warn(`role ${p.role} cannot read and write every Attest table (${missing.join(', ')})`, `run \`attest migrate --grant-to ${p.role}\` with the owner's DATABASE_URL (${README})`);
  }
  return ok(`role ${p.role} can only read and append to evidence_event (owned by ${p.owner})`);
}

export function evidenceRoleCheck(db: () => Db, kind: 'postgres' | 'pglite'): Check {
  return {
    name: EVIDENCE_ROLE_CHECK,
    run: async () => describeEvidenceRole(kind, kind === 'pglite' ? null : await inspectEvidencePrivileges(db())),
  };
}
