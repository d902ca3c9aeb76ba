import { asc, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { resource } from '../../db/schema/index.js';

/** Systems with live resources: what a campaign's scope can name (the create form's choices). */
export async function findSyncedSystems(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ system: resource.system }).from(resource).where(isNull(resource.removedAt)).orderBy(asc(resource.system));
  return rows.map((r) => r.system);
}
