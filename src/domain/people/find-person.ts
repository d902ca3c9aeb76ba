import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, type Person } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** Case-insensitive, and also matches a known alias; a primary email wins over another person's alias. */
export async function findPersonByEmail(db: Db, email: string): Promise<Person | undefined> {
  const e = email.trim().toLowerCase();
  const [row] = await db
    .select()
    .from(person)
    .where(sql`lower(${person.email}) = ${e} or ${e} = any(${person.aliases})`)
    .orderBy(sql`lower(${person.email}) = ${e} desc`)
    .limit(1);
  return row;
}

export async function getPersonByEmail(db: Db, email: string): Promise<Person> {
  const row = await findPersonByEmail(db, email);
  if (!row) throw new AppError('NOT_FOUND', `No person with email ${email}`);
  return row;
}

export async function findPersonBySlackId(db: Db, slackUserId: string): Promise<Person | undefined> {
  const [row] = await db.select().from(person).where(eq(person.slackUserId, slackUserId)).limit(1);
  return row;
}
