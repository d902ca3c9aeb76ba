import { and, asc, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessTemplate, resource } from '../../db/schema/index.js';

export interface BirthrightResource {
  resourceId: string;
  /** The first matching template that lists it (by name), for `approvedBy: template:<name>`. */
  templateName: string;
}

const same = (a: string | null, b: string | null | undefined) => a === null || (b ?? '').trim().toLowerCase() === a.trim().toLowerCase();

/**
 * Resources every matching template grants, each once. A template matches when its
 * department and title (where set) equal the hire's, ignoring case; resources that have since
 * disappeared from their source are skipped.
 */
export async function findTemplateResources(db: Db, hire: { department?: string | null; title?: string | null }): Promise<BirthrightResource[]> {
  const templates = await db.select().from(accessTemplate).orderBy(asc(accessTemplate.name));
  const wanted = new Map<string, string>();
  for (const t of templates) {
    if (!same(t.department, hire.department) || !same(t.title, hire.title)) continue;
    for (const id of t.resourceIds) if (!wanted.has(id)) wanted.set(id, t.name);
  }
  if (wanted.size === 0) return [];
  const live = await db
    .select({ id: resource.id })
    .from(resource)
    .where(and(inArray(resource.id, [...wanted.keys()]), isNull(resource.removedAt)))
    .orderBy(asc(resource.name));
  return live.map((r) => ({ resourceId: r.id, templateName: wanted.get(r.id)! }));
}
