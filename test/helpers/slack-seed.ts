import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.js';
import {
  accessRequest,
  campaign,
  person,
  personRole,
  resource,
  reviewItem,
  task,
  type ItemSnapshot,
  type Role,
} from '../../src/db/schema/index.js';

/** Rows for Slack-surface tests, inserted directly (these tests are about rendering, not rules). */

export async function seedPerson(
  db: Db,
  p: { email: string; name: string; slackUserId?: string; managerId?: string; roles?: Role[] },
): Promise<string> {
  const [row] = await db
    .insert(person)
    .values({ email: p.email, name: p.name, slackUserId: p.slackUserId ?? null, managerId: p.managerId ?? null, source: 'test' })
    .returning({ id: person.id });
  for (const role of p.roles ?? []) {
    await db.insert(personRole).values({ personId: row!.id, role, grantedBy: 'test' });
  }
  return row!.id;
}

export async function seedCampaign(db: Db, c: { name: string; ownerId: string; dueAt: Date; status?: 'draft' | 'launched' | 'closed' }) {
  const [row] = await db
    .insert(campaign)
    .values({ name: c.name, ownerId: c.ownerId, dueAt: c.dueAt, status: c.status ?? 'launched', createdBy: 'test', createdAt: new Date() })
    .returning({ id: campaign.id });
  return row!.id;
}

export async function seedReviewItems(db: Db, campaignId: string, reviewerId: string, n: number, decision: 'pending' | 'approved' = 'pending') {
  const snapshot: ItemSnapshot = {
    personId: null,
    personName: 'Someone',
    personEmail: 'someone@example.com',
    department: null,
    managerEmail: null,
    system: 'okta',
    source: 'okta',
    accountLogin: 'someone',
    accountStatus: 'active',
    resourceId: randomUUID(),
    resourceName: 'GitHub',
    resourceKind: 'app',
    via: 'direct',
    privileged: false,
    lastLoginAt: null,
  };
  await db.insert(reviewItem).values(
    Array.from({ length: n }, () => ({ campaignId, grantId: randomUUID(), snapshot, reviewerId, decision })),
  );
}

export async function seedTask(db: Db, t: { ownerId: string; description: string; deadline?: Date; status?: 'open' | 'done' }) {
  const [req] = await db
    .insert(accessRequest)
    .values({ kind: 'offboard', status: 'in_progress', requestedBy: 'test', createdAt: new Date() })
    .returning({ id: accessRequest.id });
  await db.insert(task).values({
    requestId: req!.id,
    action: 'remove_access',
    description: t.description,
    ownerId: t.ownerId,
    deadline: t.deadline ?? null,
    status: t.status ?? 'open',
    createdAt: new Date(),
  });
}

export async function seedAccessRequest(db: Db, r: { subjectId: string; resourceName: string; reason?: string }) {
  const now = new Date();
  const [res] = await db
    .insert(resource)
    .values({ source: 'test', system: 'okta', externalId: randomUUID(), kind: 'app', name: r.resourceName, firstSeenAt: now, lastSeenAt: now })
    .returning({ id: resource.id });
  await db.insert(accessRequest).values({
    kind: 'grant',
    status: 'pending_approval',
    subjectPersonId: r.subjectId,
    resourceId: res!.id,
    requestedBy: 'test',
    reason: r.reason ?? null,
    createdAt: now,
  });
}
