import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/rows-of.js';
import type { NewEvidence } from '../evidence/append-evidence.js';
import { STAGED_MFA_KEY, stagedAccounts, type StageScope } from './directory-sql.js';

const BATCH = 5000;

interface ApplyMfaInput extends StageScope {
  now: Date;
  emit: (events: NewEvidence[]) => Promise<void>;
}

interface MfaRow {
  id: string;
  login: string;
  system: string;
  old_enrolled: boolean | null;
  old_enforced: boolean | null;
  enrolled: boolean;
  enforced: boolean | null;
}

/**
 * Writes the MFA this read looked at (staged under STAGED_MFA_KEY) to the account's MFA columns,
 * after applyAccounts has written the rows. Only a value that differs from the one on record is
 * written, with `mfa_checked_at`, so an unchanged re-sync writes nothing here; an account the
 * read did not look at (Okta's rotation) keeps what is on record. The exception is a rotation
 * look (`r`, Okta's factors of the users not privileged): its check time is what the rotation
 * orders by, so it is written even when the value held.
 *
 * A change of a value already on record is an `account.mfa_changed` event; the first value an
 * account gets is not (it is a first reading, not a change). Neither is counted in the run's
 * `changed`, which counts attribute changes of the directory: MFA has its own count.
 */
export async function applyMfa(tx: Db, input: ApplyMfaInput): Promise<{ changed: number }> {
  const at = input.now.toISOString();
  const actor = `sync:${input.source}`;
  const m = sql`sa.attrs -> ${STAGED_MFA_KEY}::text`;
  let changed = 0;
  for (;;) {
    const rows = rowsOf<MfaRow>(
      await tx.execute(sql`
        update account a set mfa_enrolled = c.enrolled, mfa_enforced = c.enforced, mfa_checked_at = ${at}::timestamptz
        from (
          select x.* from (
            select a.id, a.login, a.system, a.mfa_enrolled as old_enrolled, a.mfa_enforced as old_enforced, a.mfa_checked_at,
              (${m} ->> 'e')::boolean as enrolled, (${m} ->> 'f')::boolean as enforced, coalesce((${m} ->> 'r')::boolean, false) as rotated
            from ${stagedAccounts(input)} and a.removed_at is null and ${m} is not null
          ) x
          where (x.old_enrolled is distinct from x.enrolled or x.old_enforced is distinct from x.enforced
            or (x.rotated and x.mfa_checked_at is distinct from ${at}::timestamptz))
          limit ${BATCH}
        ) c
        where a.id = c.id
        returning a.id, c.login, c.system, c.old_enrolled, c.old_enforced, c.enrolled, c.enforced`),
    );
    const events: NewEvidence[] = [];
    for (const r of rows) {
      const differs = r.old_enrolled !== r.enrolled || r.old_enforced !== r.enforced;
      if (!differs || r.old_enrolled === null) continue;
      changed += 1;
      events.push({
        actor,
        action: 'account.mfa_changed',
        subject: { account: r.id },
        payload: { login: r.login, system: r.system, from: { enrolled: r.old_enrolled, enforced: r.old_enforced }, to: { enrolled: r.enrolled, enforced: r.enforced } },
      });
    }
    await input.emit(events);
    if (rows.length < BATCH) break;
  }
  return { changed };
}
