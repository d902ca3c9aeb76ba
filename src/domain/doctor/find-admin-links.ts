import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { personRole } from '../../db/schema/index.js';
import { findPersonByEmail } from '../people/find-person.js';

export interface AdminLink {
  email: string;
  found: boolean;
  /** Created by a source (not only by `attest roles` or the ATTEST_ADMINS seeding). */
  inDirectory: boolean;
  linked: boolean;
  isAdmin: boolean;
}

/** Each ATTEST_ADMINS email as the database knows it, and how many people hold admin at all. */
export async function findAdminLinks(db: Db, emails: readonly string[]): Promise<{ admins: AdminLink[]; adminHolders: number }> {
  const holders = await db.select({ personId: personRole.personId }).from(personRole).where(eq(personRole.role, 'admin'));
  const adminIds = new Set(holders.map((h) => h.personId));
  const admins: AdminLink[] = [];
  // A handful of emails: one lookup each keeps the alias rules in findPersonByEmail.
  for (const email of emails) {
    const p = await findPersonByEmail(db, email);
    admins.push({
      email,
      found: Boolean(p),
      inDirectory: Boolean(p && p.source !== 'cli'),
      linked: Boolean(p?.slackUserId),
      isAdmin: Boolean(p && adminIds.has(p.id)),
    });
  }
  return { admins, adminHolders: adminIds.size };
}
