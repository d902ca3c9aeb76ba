import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Deps } from '../../deps.js';
import { person, type Person } from '../../db/schema/index.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { findPersonByEmail } from '../people/find-person.js';
import { resolvePerson } from './resolve-person.js';
import { startMoverReview } from './start-mover-review.js';

export interface TransferInput {
  email: string;
  department?: string | null;
  title?: string | null;
  managerEmail?: string | null;
  actor: string;
  origin: string;
}

/**
 * HR says someone moved: their record takes the new department, title and manager (fields
 * left out stay as they are), and a mover review of what they hold is launched. One
 * transaction: a transfer without its review is never recorded.
 */
export async function transferPerson(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: TransferInput,
): Promise<{ personId: string; campaignId: string }> {
  const p = (await byPrimaryEmail(deps.db, input.email)) ?? (await resolvePerson(deps.db, input.email));
  return deps.db.transaction(async (tx) => {
    const manager = input.managerEmail ? ((await byPrimaryEmail(tx, input.managerEmail)) ?? (await findPersonByEmail(tx, input.managerEmail))) : undefined;
    const next = {
      department: input.department === undefined ? p.department : input.department,
      title: input.title === undefined ? p.title : input.title,
    };
    const now = deps.clock.now();
    await tx.update(person).set({ ...next, updatedAt: now }).where(eq(person.id, p.id));
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'person.moved',
      subject: { person: p.id },
      payload: {
        email: p.email,
        origin: input.origin,
        changes: { department: { from: p.department, to: next.department }, title: { from: p.title, to: next.title }, managerId: { from: p.managerId, to: manager?.id ?? p.managerId } },
        unknownManagerEmail: input.managerEmail && !manager ? input.managerEmail : null,
      },
    });
    const review = await startMoverReview(
      { ...deps, db: tx },
      { personId: p.id, reason: next.department ? `moved to ${next.department}` : 'moved', newManagerId: manager?.id ?? null, actor: input.actor },
    );
    return { personId: p.id, campaignId: review.campaignId };
  });
}

/**
 * The person whose primary email this is, through the unique index on lower(email). The
 * general lookup also matches aliases, which has no index and reads every person: in an org
 * of 100,000 that is most of a mover's time in the webhook, so it is only the fallback (a
 * primary email wins over an alias there too, so the answer is the same).
 */
async function byPrimaryEmail(db: Db, email: string): Promise<Person | undefined> {
  const [row] = await db.select().from(person).where(sql`lower(${person.email}) = ${email.trim().toLowerCase()}`).limit(1);
  return row;
}
