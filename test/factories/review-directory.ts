import { and, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { accessGrant, accessRequest, account, person, resource, type Person } from '../../src/db/schema/index.js';
import { runSync } from '../../src/domain/directory/run-sync.js';
import { grantRole } from '../../src/domain/people/grant-role.js';
import { group, member, memoryConnector, user, type MemoryOrg } from '../fakes/memory-connector.js';
import type { testDeps } from '../helpers/deps.js';

/**
 * A small org with every routing case a campaign must handle:
 *
 *   ceo (no manager) ─┬─ maria ─┬─ li ── ann      comp (admin, campaign owner) reports to ceo
 *                     │         ├─ sam (no Slack) ── jo
 *                     │         └─ gone (deprovisioned)
 *                     └─ comp
 *
 * Resources: Engineering (owned by maria), AWS Admins (privileged, no owner), GitHub (system
 * `github`, owned by li). svc-backup is an orphaned account; li approved ann's GitHub access.
 */
export function reviewOrg(): MemoryOrg {
  return {
    accounts: [
      user('u1', 'ceo@acme.test', { department: 'Exec' }),
      user('u2', 'maria@acme.test', { manager: 'u1' }),
      user('u3', 'li@acme.test', { manager: 'u2' }),
      user('u4', 'sam@acme.test', { manager: 'u2' }),
      user('u5', 'jo@acme.test', { manager: 'u4', department: 'Sales' }),
      user('u6', 'svc-backup@acme.test', { person: null, email: null, login: 'svc-backup', displayName: 'svc-backup' }),
      user('u7', 'gone@acme.test', { status: 'deprovisioned', rawStatus: 'DEPROVISIONED', manager: 'u2' }),
      user('u8', 'comp@acme.test', { manager: 'u1', department: 'Compliance' }),
      user('u9', 'ann@acme.test', { manager: 'u3' }),
    ],
    resources: [
      { ...group('g1', 'Engineering'), ownerEmail: 'maria@acme.test' },
      group('g2', 'AWS Admins', true),
      { externalId: 'a1', system: 'github', kind: 'app', name: 'GitHub', privileged: false, ownerEmail: 'li@acme.test' },
    ],
    grants: [
      member('u2', 'g1'),
      member('u3', 'g1'),
      member('u3', 'g2'),
      member('u4', 'g1'),
      member('u5', 'a1'),
      member('u6', 'g2'),
      member('u6', 'a1'),
      member('u7', 'g1'),
      member('u1', 'g2'),
      member('u8', 'g1'),
      member('u9', 'a1'),
      member('u9', 'g1'),
    ],
  };
}

const SLACK: Record<string, string> = { ceo: 'U1', maria: 'U2', li: 'U3', jo: 'U5', comp: 'U8', ann: 'U9' };

export type Seeded = Awaited<ReturnType<typeof seedReviewDirectory>>;

/** Syncs the org, links Slack users (sam has none), makes comp the admin, records li's approval. */
export async function seedReviewDirectory(deps: ReturnType<typeof testDeps>, org: MemoryOrg = reviewOrg()) {
  const connector = memoryConnector(org, { pageSize: 50 });
  await runSync(deps, connector);
  const db = deps.db;
  for (const [name, slack] of Object.entries(SLACK)) {
    await db.update(person).set({ slackUserId: slack }).where(eq(person.email, `${name}@acme.test`));
  }
  await grantRole(deps, { email: 'comp@acme.test', role: 'admin', actor: 'test' });
  const people = Object.fromEntries((await db.select().from(person)).map((p) => [p.email.split('@')[0]!, p])) as Record<string, Person>;
  const grantOf = (accountExt: string, resourceExt: string) => findGrant(db, accountExt, resourceExt);
  await db.insert(accessRequest).values({
    kind: 'grant',
    status: 'done',
    subjectPersonId: people.ann!.id,
    grantId: await grantOf('u9', 'a1'),
    requestedBy: `person:${people.ann!.id}`,
    approvedBy: `person:${people.li!.id}`,
    createdAt: deps.clock.now(),
  });
  return { connector, people, grantOf };
}

async function findGrant(db: Db, accountExt: string, resourceExt: string): Promise<string> {
  const [row] = await db
    .select({ id: accessGrant.id })
    .from(accessGrant)
    .innerJoin(account, eq(account.id, accessGrant.accountId))
    .innerJoin(resource, eq(resource.id, accessGrant.resourceId))
    .where(and(eq(account.externalId, accountExt), eq(resource.externalId, resourceExt)));
  if (!row) throw new Error(`no grant ${accountExt} → ${resourceExt}`);
  return row.id;
}
