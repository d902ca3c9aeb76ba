import { isUniqueViolation } from './unique-violation.js';
import type { Deps } from '../../deps.js';
import { accessTemplate, type AccessTemplate } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { resolveResources } from './resolve-resources.js';

export interface AddTemplateInput {
  name: string;
  department?: string | null;
  title?: string | null;
  /** Resource ids or `system:name`. */
  resources: readonly string[];
  actor: string;
}

/** Adds a birthright access template; names are unique regardless of case. */
export async function addTemplate(deps: Pick<Deps, 'db' | 'clock'>, input: AddTemplateInput): Promise<AccessTemplate> {
  const name = input.name.trim();
  if (!name) throw new AppError('INVALID_INPUT', 'A template needs a name', { field: 'name' });
  const resources = await resolveResources(deps.db, input.resources);
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(accessTemplate)
        .values({
          name,
          department: input.department?.trim() || null,
          title: input.title?.trim() || null,
          resourceIds: resources.map((r) => r.id),
          createdBy: input.actor,
          createdAt: deps.clock.now(),
        })
        .returning();
      await appendEvidence(tx, deps.clock, {
        actor: input.actor,
        action: 'template.created',
        subject: { template: row!.id },
        payload: { name, department: row!.department, title: row!.title, resources: resources.map((r) => ({ id: r.id, system: r.system, name: r.name })) },
      });
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `A template named ${name} already exists`, { field: 'name' });
    throw err;
  }
}
