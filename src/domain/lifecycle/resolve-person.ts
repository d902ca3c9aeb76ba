import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { person, type Person } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { findPersonByEmail } from '../people/find-person.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A person named by id (Slack, the Home tab) or by email (CLI, webhooks). */
export async function resolvePerson(db: Db, ref: string): Promise<Person> {
  const trimmed = ref.trim();
  if (UUID.test(trimmed)) {
    const [row] = await db.select().from(person).where(eq(person.id, trimmed));
    if (row) return row;
  } else if (trimmed.includes('@')) {
    const row = await findPersonByEmail(db, trimmed);
    if (row) return row;
  }
  throw new AppError('NOT_FOUND', `Nobody in the directory is known as ${trimmed}.`, { field: 'person' });
}
