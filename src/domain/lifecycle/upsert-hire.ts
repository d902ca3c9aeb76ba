import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, type Person } from '../../db/schema/index.js';
import { findPersonByEmail } from '../people/find-person.js';

export interface HireDetails {
  email: string;
  name: string;
  managerEmail?: string | null;
  department?: string | null;
  title?: string | null;
}

export interface UpsertedHire {
  person: Person;
  created: boolean;
  /** Set when a manager email was given but nobody in the directory has it (yet). */
  unknownManagerEmail: string | null;
}

/**
 * HR is the source of truth for who is joining: the person is created (or, for a rehire or a
 * record a sync made first, updated) and active from now on. A manager not yet in the
 * directory is left unset rather than refusing the hire; the manager summary then goes to HR.
 */
export async function upsertHire(tx: Db, now: Date, d: HireDetails): Promise<UpsertedHire> {
  const manager = d.managerEmail ? await findPersonByEmail(tx, d.managerEmail) : undefined;
  const existing = await findPersonByEmail(tx, d.email);
  // What HR leaves out keeps what the directory already knows (a synced record, a rehire).
  const values = {
    name: d.name,
    department: d.department ?? existing?.department ?? null,
    title: d.title ?? existing?.title ?? null,
    managerId: manager?.id ?? existing?.managerId ?? null,
    status: 'active' as const,
    leftAt: null,
    updatedAt: now,
  };
  const unknownManagerEmail = d.managerEmail && !manager ? d.managerEmail : null;
  if (existing) {
    const [row] = await tx.update(person).set(values).where(eq(person.id, existing.id)).returning();
    return { person: row!, created: false, unknownManagerEmail };
  }
  const [row] = await tx
    .insert(person)
    .values({ ...values, email: d.email.trim().toLowerCase(), source: 'hr', createdAt: now })
    .returning();
  return { person: row!, created: true, unknownManagerEmail };
}
