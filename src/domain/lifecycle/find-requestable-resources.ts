import { and, asc, ilike, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { resource } from '../../db/schema/index.js';

export interface RequestableResource {
  id: string;
  name: string;
  system: string;
  kind: string;
  privileged: boolean;
}

/**
 * Resources a person can ask for, matching `query` anywhere in the name (case-insensitive),
 * by name. `limit` keeps an options answer within Slack's 100 options.
 */
export async function findRequestableResources(db: Db, query: string, limit = 100): Promise<RequestableResource[]> {
  // LIKE wildcards typed by the user are matched literally.
  const pattern = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select({ id: resource.id, name: resource.name, system: resource.system, kind: resource.kind, privileged: resource.privileged })
    .from(resource)
    .where(and(isNull(resource.removedAt), ilike(resource.name, pattern)))
    .orderBy(asc(resource.name), asc(resource.system))
    .limit(limit);
}
