import { and, eq, min, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { task } from '../../db/schema/index.js';

/**
 * When the next automated task becomes claimable: an open task's `not_before` (an effective
 * time, a retry's backoff) or a running task's lease end (its worker may have died). The task
 * runner sleeps until then instead of finding out at its next poll.
 */
export async function findNextTaskDue(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({
      at: min(sql<Date>`case when ${task.status} = 'open' then ${task.notBefore} else ${task.lockedUntil} end`).mapWith(task.notBefore),
    })
    .from(task)
    .where(and(eq(task.automated, true), or(eq(task.status, 'open'), eq(task.status, 'running'))));
  return row?.at ?? null;
}
