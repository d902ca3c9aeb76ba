import type { TestDatabase } from './db.js';

/*
 * The evidence log's triggers refuse UPDATE, DELETE and TRUNCATE even to the owner; tests of
 * what verify finds in a tampered log step around them, as an attacker with DDL rights would.
 */

/** Empties the evidence log (dropping the truncate trigger for the moment, then putting it back). */
export async function resetEvidenceLog(t: TestDatabase): Promise<void> {
  await t.raw(`drop trigger if exists evidence_event_no_truncate on evidence_event`);
  await t.raw(`truncate evidence_event`);
  await t.raw(`create trigger evidence_event_no_truncate before truncate on evidence_event
     for each statement execute function attest_evidence_immutable()`);
}

/** Runs `statement` against the evidence log with its update/delete trigger disabled. */
export async function tamperWithEvidence(t: TestDatabase, statement: string): Promise<void> {
  await t.raw(`alter table evidence_event disable trigger evidence_event_no_update_delete`);
  try {
    await t.raw(statement);
  } finally {
    await t.raw(`alter table evidence_event enable trigger evidence_event_no_update_delete`);
  }
}
