import { sql } from 'drizzle-orm';
import type { Deps } from '../../deps.js';
import { accessTemplate } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';

/** Removes a template by name (or id). Cases already opened from it keep their requests. */
export async function removeTemplate(deps: Pick<Deps, 'db' | 'clock'>, input: { name: string; actor: string }): Promise<void> {
  const key = input.name.trim();
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(accessTemplate)
      .where(sql`lower(${accessTemplate.name}) = ${key.toLowerCase()} or ${accessTemplate.id}::text = ${key}`)
      .returning();
    if (!row) throw new AppError('NOT_FOUND', `No template named ${key}`, { field: 'name' });
    await appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'template.removed',
      subject: { template: row.id },
      payload: { name: row.name, department: row.department, title: row.title, resourceIds: row.resourceIds },
    });
  });
}
