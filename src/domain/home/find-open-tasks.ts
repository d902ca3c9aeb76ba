import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { task } from '../../db/schema/index.js';

export interface OpenTask {
  id: string;
  requestId: string;
  description: string;
  deadline: Date | null;
}

export interface OpenTasks {
  items: OpenTask[];
  /** All open tasks, of which `items` holds the first `limit` by deadline. */
  total: number;
}

/** Manual tasks this person must carry out, the most urgent first (no deadline last). */
export async function findOpenTasks(db: Db, ownerId: string, limit: number): Promise<OpenTasks> {
  const where = and(eq(task.ownerId, ownerId), eq(task.status, 'open'));
  const [items, [totals]] = await Promise.all([
    db
      .select({ id: task.id, requestId: task.requestId, description: task.description, deadline: task.deadline })
      .from(task)
      .where(where)
      .orderBy(sql`${task.deadline} asc nulls last`, asc(task.createdAt))
      .limit(limit),
    db.select({ n: count() }).from(task).where(where),
  ]);
  return { items, total: Number(totals?.n ?? 0) };
}
