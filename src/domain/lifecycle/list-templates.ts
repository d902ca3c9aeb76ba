import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { accessTemplate, resource } from '../../db/schema/index.js';

export interface TemplateListing {
  id: string;
  name: string;
  department: string | null;
  title: string | null;
  resources: { id: string; system: string; name: string; removed: boolean }[];
  createdBy: string;
  createdAt: Date;
}

export async function listTemplates(db: Db): Promise<TemplateListing[]> {
  const templates = await db.select().from(accessTemplate).orderBy(asc(accessTemplate.name));
  const ids = [...new Set(templates.flatMap((t) => t.resourceIds))];
  const rows = ids.length === 0 ? [] : await db.select().from(resource).where(inArray(resource.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return templates.map((t) => ({
    id: t.id,
    name: t.name,
    department: t.department,
    title: t.title,
    resources: t.resourceIds.map((id) => {
      const r = byId.get(id);
      return { id, system: r?.system ?? '?', name: r?.name ?? '(unknown resource)', removed: !r || r.removedAt !== null };
    }),
    createdBy: t.createdBy,
    createdAt: t.createdAt,
  }));
}
