import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { resource, type Resource } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resources named by id or as `system:name` (`okta:Engineering`), as an operator types them.
 * A name that matches several live resources in one system is refused rather than guessed.
 */
export async function resolveResources(db: Db, refs: readonly string[]): Promise<Resource[]> {
  const out = new Map<string, Resource>();
  for (const raw of refs) {
    const ref = raw.trim();
    if (!ref) continue;
    const found = UUID.test(ref) ? await byId(db, ref) : await byName(db, ref);
    out.set(found.id, found);
  }
  if (out.size === 0) throw new AppError('INVALID_INPUT', 'Name at least one resource', { field: 'resources' });
  return [...out.values()];
}

async function byId(db: Db, id: string): Promise<Resource> {
  const [row] = await db.select().from(resource).where(and(eq(resource.id, id), isNull(resource.removedAt)));
  if (!row) throw new AppError('NOT_FOUND', `No resource ${id}`, { field: 'resources' });
  return row;
}

async function byName(db: Db, ref: string): Promise<Resource> {
  const at = ref.indexOf(':');
  if (at <= 0) throw new AppError('INVALID_INPUT', `"${ref}" is neither a resource id nor system:name`, { field: 'resources' });
  const system = ref.slice(0, at).trim().toLowerCase();
  const name = ref.slice(at + 1).trim().toLowerCase();
  const rows = await db
    .select()
    .from(resource)
    .where(and(sql`lower(${resource.system}) = ${system}`, sql`lower(${resource.name}) = ${name}`, isNull(resource.removedAt)))
    .limit(2);
  if (rows.length === 0) throw new AppError('NOT_FOUND', `No resource named ${ref}`, { field: 'resources' });
  if (rows.length > 1) throw new AppError('INVALID_INPUT', `Several resources are named ${ref}: use an id`, { field: 'resources' });
  return rows[0]!;
}
