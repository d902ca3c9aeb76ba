import { and, eq } from 'drizzle-orm';
import type { AccountState } from '../../connectors/types.js';
import type { Db } from '../../db/client.js';
import { account } from '../../db/schema/index.js';
import { findPersonByEmail } from '../people/find-person.js';

export interface OktaUserRef {
  id: string;
  alternateId: string | null;
}

/** The person an event names, and which of its User targets: by the Okta account we synced (its id), else by the login as an email. */
export async function oktaEventPerson(db: Db, users: readonly OktaUserRef[]): Promise<{ personId: string; user: OktaUserRef } | null> {
  for (const user of users) {
    const personId = await personOf(db, user.id, [user.alternateId]);
    if (personId) return { personId, user };
  }
  return null;
}

/** The person behind a user as Okta itself describes it (never the event's own claims). */
export function oktaUserPerson(db: Db, a: AccountState): Promise<string | null> {
  return personOf(db, a.externalId, [a.email, a.login]);
}

async function personOf(db: Db, oktaId: string, emails: (string | null)[]): Promise<string | null> {
  const [a] = await db
    .select({ personId: account.personId })
    .from(account)
    .where(and(eq(account.source, 'okta'), eq(account.externalId, oktaId)));
  if (a?.personId) return a.personId;
  for (const e of emails) {
    const p = e?.includes('@') ? await findPersonByEmail(db, e) : undefined;
    if (p) return p.id;
  }
  return null;
}
