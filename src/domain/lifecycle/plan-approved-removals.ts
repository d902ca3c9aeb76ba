import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { planRemoval } from './plan-removal.js';

interface Pending {
  id: string;
}

/**
 * Revocations decided in a review become removal tasks here: at once for "remove now", and
 * once the campaign has closed for "at campaign close". Approved revoke requests with no task
 * yet are the queue, so a crash between the decision and the planning loses nothing.
 */
export async function planApprovedRemovals(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'connectors'>, opts: { limit?: number } = {}): Promise<number> {
  const res = await deps.db.execute(sql`
    select r.id from access_request r
    left join campaign c on c.id = (r.details->>'campaignId')::uuid
    where r.kind = 'revoke' and r.status = 'approved'
      and not exists (select 1 from task t where t.request_id = r.id)
      and (coalesce(r.details->>'removalTiming', 'now') <> 'close' or c.status = 'closed')
    order by r.created_at
    limit ${opts.limit ?? 500}`);
  const rows = ((res as { rows?: Pending[] }).rows ?? (res as unknown as Pending[])) as Pending[];
  let planned = 0;
  for (const { id } of rows) {
    await deps.db.transaction(async (tx) => {
      // Re-checked inside: another worker may have planned it since the select.
      const still = await tx.execute(sql`select 1 from access_request where id = ${id} and status = 'approved' for update`);
      const found = ((still as { rows?: unknown[] }).rows ?? (still as unknown as unknown[])).length > 0;
      if (!found) return;
      await planRemoval(tx, deps, deps.connectors, { requestId: id, actor: 'job:removals' });
      planned += 1;
    });
  }
  return planned;
}
