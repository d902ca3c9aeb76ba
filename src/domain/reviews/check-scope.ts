import { inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { account, person, resource, type CampaignScope } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { isUuid } from './require-uuid.js';

const clean = (list: string[] | undefined) => [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];

/** A typo in a scope would silently review nothing, so named things must exist. */
export async function checkScope(db: Db, input: CampaignScope): Promise<CampaignScope> {
  const scope: CampaignScope = {};
  const systems = clean(input.systems);
  if (systems.length > 0) {
    const known = (await db.selectDistinct({ s: resource.system }).from(resource).where(isNull(resource.removedAt))).map((r) => r.s);
    const knownAccounts = (await db.selectDistinct({ s: account.system }).from(account)).map((r) => r.s);
    const all = new Set([...known, ...knownAccounts]);
    const unknown = systems.filter((s) => !all.has(s));
    // Before the first sync nothing is known yet; the dry run will show an empty population.
    if (all.size > 0 && unknown.length > 0) {
      throw new AppError('INVALID_INPUT', `Unknown system ${unknown.join(', ')}: known systems are ${[...all].sort().join(', ')}`, { field: 'systems' });
    }
    scope.systems = systems;
  }
  const resourceIds = clean(input.resourceIds).map((s) => s.toLowerCase());
  if (resourceIds.length > 0) {
    const bad = resourceIds.filter((id) => !isUuid(id));
    const found = bad.length ? [] : (await db.select({ id: resource.id }).from(resource).where(inArray(resource.id, resourceIds))).map((r) => r.id);
    const missing = bad.length ? bad : resourceIds.filter((id) => !found.includes(id));
    if (missing.length > 0) throw new AppError('INVALID_INPUT', `Unknown resource ${missing.join(', ')}`, { field: 'resourceIds' });
    scope.resourceIds = resourceIds;
  }
  const personIds = clean(input.personIds).map((s) => s.toLowerCase());
  if (personIds.length > 0) {
    const bad = personIds.filter((id) => !isUuid(id));
    const found = bad.length ? [] : (await db.select({ id: person.id }).from(person).where(inArray(person.id, personIds))).map((r) => r.id);
    const missing = bad.length ? bad : personIds.filter((id) => !found.includes(id));
    if (missing.length > 0) throw new AppError('INVALID_INPUT', `Unknown person ${missing.join(', ')}`, { field: 'personIds' });
    scope.personIds = personIds;
  }
  const departments = clean(input.departments);
  if (departments.length > 0) scope.departments = departments;
  if (input.privilegedOnly) scope.privilegedOnly = true;
  return scope;
}
