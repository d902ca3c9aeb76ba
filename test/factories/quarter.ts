import { eq } from 'drizzle-orm';
import { fixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/client.js';
import {
  accessGrant,
  accessRequest,
  account,
  campaign,
  person,
  resource,
  reviewItem,
  syncRun,
  task,
  type ItemSnapshot,
} from '../../src/db/schema/index.js';
import { appendEvidence, type NewEvidence } from '../../src/domain/evidence/append-evidence.js';

/**
 * A quarter (2026-Q4) of access-review data, written straight into the tables with the
 * evidence events the real code would append. Kept independent of the campaign and lifecycle
 * code on purpose: the export is tested against data whose every value the test knows.
 *
 * - Campaign "Q4 review" (launched 1 Oct, closed 31 Oct), six items: approved; revoked (privileged,
 *   removal done and verified by a sync); delegated Maria → Dana and approved by Dana; approved
 *   with a formula-like reason; a stand-in reviewer (no manager → Olivia); one never decided.
 * - A leaver (Leo, effective 10 Nov, 24 h SLA): account removal on time, grant removal late.
 * - A grant request (Łukasz → GitHub) approved by Maria, carried out by Ivan, expiring in Feb.
 * - A refused self-review attempt; Tom terminated with a live account; an orphaned account.
 * - One event before the quarter (so the segment does not start at genesis) and one after it.
 */
export const Q = {
  quarter: '2026-Q4',
  exportAt: '2027-01-05T08:00:00.000Z',
} as const;

const PEOPLE = {
  olivia: { email: 'olivia@acme.test', name: 'Olivia Owner', department: 'Compliance', slack: 'U0OLIVIA' },
  maria: { email: 'maria@acme.test', name: 'Maria Manager', department: 'Engineering', slack: 'U0MARIA' },
  dana: { email: 'dana@acme.test', name: 'Dana Delegate', department: 'Engineering', slack: 'U0DANA' },
  ivan: { email: 'ivan@acme.test', name: 'Ivan IT', department: 'IT', slack: 'U0IVAN' },
  lukasz: { email: 'lukasz@acme.test', name: 'Łukasz Żółć', department: 'Engineering', slack: 'U0LUKASZ' },
  taro: { email: 'taro@acme.test', name: '山田太郎', department: '営業', slack: 'U0TARO' },
  alexei: { email: 'alexei@acme.test', name: 'Алексей Смирнов', department: '=HYPERLINK("http://evil")', slack: 'U0ALEXEI' },
  nomad: { email: 'nomad@acme.test', name: 'Nomad NoManager', department: 'Sales', slack: 'U0NOMAD' },
  leo: { email: 'leo@acme.test', name: 'Leo Leaver', department: 'Sales', slack: 'U0LEO' },
  tom: { email: 'tom@acme.test', name: 'Tom Terminated', department: 'Sales', slack: null },
} as const;
type Who = keyof typeof PEOPLE;

const RESOURCES = {
  admin: { name: 'Okta Super Admin', kind: 'role', privileged: true },
  github: { name: 'GitHub', kind: 'app', privileged: false },
  payroll: { name: 'Payroll', kind: 'app', privileged: false },
  sum: { name: '@SUM(1+1)', kind: 'app', privileged: false },
  minus: { name: '-1 Group', kind: 'group', privileged: false },
} as const;
type Res = keyof typeof RESOURCES;

export type Quarter = Awaited<ReturnType<typeof buildQuarter>>;

export async function buildQuarter(db: Db) {
  const clock = fixedClock('2026-09-15T10:00:00Z');
  const at = (iso: string) => {
    clock.set(iso);
    return new Date(iso);
  };
  const log = (iso: string, events: NewEvidence | NewEvidence[]) => {
    clock.set(iso);
    return db.transaction((tx) => appendEvidence(tx, clock, events));
  };
  const firstSeen = new Date('2026-01-10T00:00:00Z');

  const ids = {} as Record<Who, string>;
  for (const [key, p] of Object.entries(PEOPLE) as [Who, (typeof PEOPLE)[Who]][]) {
    const [row] = await db
      .insert(person)
      .values({ email: p.email, name: p.name, department: p.department, slackUserId: p.slack, source: 'okta', status: key === 'tom' || key === 'leo' ? 'terminated' : 'active', createdAt: firstSeen })
      .returning({ id: person.id });
    ids[key] = row!.id;
  }
  for (const key of ['lukasz', 'taro', 'alexei', 'dana', 'leo', 'tom'] as const) {
    await db.update(person).set({ managerId: ids.maria }).where(eq(person.id, ids[key]));
  }
  await db.update(person).set({ leftAt: new Date('2026-11-10T17:00:00Z') }).where(eq(person.id, ids.leo));

  const res = {} as Record<Res, string>;
  for (const [key, r] of Object.entries(RESOURCES) as [Res, (typeof RESOURCES)[Res]][]) {
    const [row] = await db
      .insert(resource)
      .values({ source: 'okta', system: 'okta', externalId: `res-${key}`, kind: r.kind, name: r.name, privileged: r.privileged, firstSeenAt: firstSeen, lastSeenAt: firstSeen })
      .returning({ id: resource.id });
    res[key] = row!.id;
  }

  const lastLogin: Partial<Record<Who, string | null>> = { taro: '2026-05-01T08:00:00.000Z', nomad: null };
  const acct = {} as Record<Who, string>;
  for (const key of Object.keys(PEOPLE) as Who[]) {
    const login = lastLogin[key] === undefined ? '2026-12-20T08:00:00Z' : lastLogin[key];
    const [row] = await db
      .insert(account)
      .values({ source: 'okta', system: 'okta', externalId: `okta-${key}`, login: PEOPLE[key].email, email: PEOPLE[key].email, status: key === 'leo' ? 'deprovisioned' : 'active', lastLoginAt: login ? new Date(login) : null, personId: ids[key], firstSeenAt: firstSeen, lastSeenAt: firstSeen })
      .returning({ id: account.id });
    acct[key] = row!.id;
  }
  const [orphan] = await db
    .insert(account)
    .values({ source: 'okta', system: 'okta', externalId: 'okta-svc', login: 'svc-backup', status: 'active', lastLoginAt: new Date('2026-12-01T00:00:00Z'), firstSeenAt: firstSeen, lastSeenAt: firstSeen })
    .returning({ id: account.id });

  const grantOf = async (who: Who, r: Res, removedAt: Date | null = null) => {
    const [row] = await db
      .insert(accessGrant)
      .values({ source: 'okta', accountId: acct[who], resourceId: res[r], via: 'direct', privileged: RESOURCES[r].privileged, firstSeenAt: firstSeen, lastSeenAt: firstSeen, removedAt })
      .returning({ id: accessGrant.id });
    return row!.id;
  };
  const g = {
    lukaszGithub: await grantOf('lukasz', 'github'),
    lukaszAdmin: await grantOf('lukasz', 'admin', new Date('2026-10-08T06:00:00Z')),
    taroPayroll: await grantOf('taro', 'payroll'),
    alexeiSum: await grantOf('alexei', 'sum'),
    nomadGithub: await grantOf('nomad', 'github'),
    alexeiMinus: await grantOf('alexei', 'minus'),
    leoPayroll: await grantOf('leo', 'payroll', new Date('2026-11-12T13:00:00Z')),
    tomAdmin: await grantOf('tom', 'admin'),
  };

  // Before the quarter: the sync the campaign's population comes from.
  const [sr0] = await db
    .insert(syncRun)
    .values({ source: 'okta', status: 'succeeded', startedAt: at('2026-09-30T23:00:00Z'), finishedAt: new Date('2026-09-30T23:05:00Z'), counts: { people: 10, accounts: 11, resources: 5, grants: 8 }, totals: { 'users.active': 10, 'users.deprovisioned': 1 } })
    .returning({ id: syncRun.id });
  const before = await log('2026-09-30T23:05:00Z', { actor: 'sync:okta', action: 'sync.completed', subject: { syncRun: sr0!.id }, payload: { accounts: 11 } });

  const [c] = await db
    .insert(campaign)
    .values({ name: 'Q4 review', ownerId: ids.olivia, status: 'draft', dueAt: new Date('2026-10-31T23:59:59Z'), createdBy: 'cli:olivia', createdAt: at('2026-10-01T09:00:00Z') })
    .returning();
  await log('2026-10-01T09:00:00Z', { actor: 'cli:olivia', action: 'campaign.created', subject: { campaign: c!.id }, payload: { name: 'Q4 review' } });
  const provenance = { okta: { syncRunId: sr0!.id, syncedAt: '2026-09-30T23:05:00.000Z', read: { accounts: 11, grants: 8 }, liveGrants: 8, inScope: 6, excluded: { 'inactive account': 1, 'out-of-scope resource': 1 } } };
  await db.update(campaign).set({ status: 'launched', launchedAt: at('2026-10-01T09:05:00Z'), provenance }).where(eq(campaign.id, c!.id));
  await log('2026-10-01T09:05:00Z', { actor: 'cli:olivia', action: 'campaign.launched', subject: { campaign: c!.id }, payload: { items: 6, provenance } });

  const item = async (who: Who, r: Res, grantId: string, reviewer: Who, extra: Partial<typeof reviewItem.$inferInsert> = {}) => {
    const p = PEOPLE[who];
    const snapshot: ItemSnapshot = {
      personId: ids[who], personName: p.name, personEmail: p.email, department: p.department, managerEmail: who === 'nomad' ? null : PEOPLE.maria.email,
      system: 'okta', source: 'okta', accountLogin: p.email, accountStatus: 'active', resourceId: res[r], resourceName: RESOURCES[r].name,
      resourceKind: RESOURCES[r].kind, via: 'direct', privileged: RESOURCES[r].privileged, lastLoginAt: lastLogin[who] === undefined ? '2026-09-20T08:00:00.000Z' : (lastLogin[who] ?? null), accountId: acct[who],
    };
    const [row] = await db.insert(reviewItem).values({ campaignId: c!.id, grantId, snapshot, reviewerId: ids[reviewer], ...extra }).returning();
    return row!;
  };
  const items = {
    approved: await item('lukasz', 'github', g.lukaszGithub, 'maria'),
    revoked: await item('lukasz', 'admin', g.lukaszAdmin, 'maria'),
    delegated: await item('taro', 'payroll', g.taroPayroll, 'maria'),
    formula: await item('alexei', 'sum', g.alexeiSum, 'maria'),
    fallback: await item('nomad', 'github', g.nomadGithub, 'olivia', { fallbackReason: 'nomad@acme.test has no manager' }),
    undecided: await item('alexei', 'minus', g.alexeiMinus, 'maria'),
  };

  const decide = async (it: { id: string; snapshot: ItemSnapshot }, by: Who, decision: 'approved' | 'revoked', iso: string, reason: string | null) => {
    await db.update(reviewItem).set({ decision, decidedBy: ids[by], decidedAt: new Date(iso), reason }).where(eq(reviewItem.id, it.id));
    const p = PEOPLE[by];
    return log(iso, {
      actor: `person:${ids[by]}`, action: 'review.decided', subject: { campaign: c!.id, item: it.id },
      payload: { itemId: it.id, decision, reason, decidedAt: iso, reviewer: { personId: ids[by], email: p.email, name: p.name, slackUserId: p.slack }, access: { personEmail: it.snapshot.personEmail, resourceName: it.snapshot.resourceName } },
    });
  };
  // The revocation: Maria revokes, a request and a task follow, Ivan does it, the next sync proves it.
  const [sr1] = await db.insert(syncRun).values({ source: 'okta', status: 'succeeded', startedAt: new Date('2026-10-08T06:00:00Z'), finishedAt: new Date('2026-10-08T06:05:00Z'), counts: { removed: 1 } }).returning({ id: syncRun.id });
  const [revoke] = await db
    .insert(accessRequest)
    .values({ kind: 'revoke', status: 'verified', subjectPersonId: ids.lukasz, resourceId: res.admin, accountId: acct.lukasz, grantId: g.lukaszAdmin, requestedBy: `person:${ids.maria}`, approvedBy: `person:${ids.maria}`, carriedOutBy: `person:${ids.ivan}`, reason: '-1 not needed', origin: `review_item:${items.revoked.id}`, createdAt: new Date('2026-10-05T10:01:00Z'), approvedAt: new Date('2026-10-05T10:01:00Z'), doneAt: new Date('2026-10-06T12:00:00Z'), verifiedAt: new Date('2026-10-08T06:05:00Z'), verifiedBySyncRunId: sr1!.id })
    .returning({ id: accessRequest.id });
  await db.update(reviewItem).set({ requestId: revoke!.id }).where(eq(reviewItem.id, items.revoked.id));
  const [revokeTask] = await db.insert(task).values({ requestId: revoke!.id, action: 'remove_grant', description: 'Remove Okta Super Admin from lukasz@acme.test', ownerId: ids.ivan, status: 'done', doneBy: `person:${ids.ivan}`, doneAt: new Date('2026-10-06T12:00:00Z'), createdAt: new Date('2026-10-05T10:01:00Z') }).returning({ id: task.id });

  // Events in time order: appendEvidence never stamps an event earlier than the one before.
  await decide(items.approved, 'maria', 'approved', '2026-10-05T10:00:00.000Z', '+1 fine');
  await decide(items.revoked, 'maria', 'revoked', '2026-10-05T10:01:00.000Z', '-1 not needed');
  await log('2026-10-05T10:01:00.000Z', [
    { actor: `person:${ids.maria}`, action: 'removal.requested', subject: { request: revoke!.id, campaign: c!.id, item: items.revoked.id }, payload: {} },
    { actor: `person:${ids.maria}`, action: 'task.created', subject: { task: revokeTask!.id, request: revoke!.id }, payload: {} },
  ]);
  await decide(items.formula, 'maria', 'approved', '2026-10-05T10:02:00.000Z', '@SUM(A1)');
  // Łukasz tries to decide his own item: refused, and on record.
  const refused = await log('2026-10-05T11:00:00.000Z', { actor: `person:${ids.lukasz}`, action: 'security.refused', subject: { campaign: c!.id, item: items.approved.id }, payload: { attempted: 'review.decide', reason: 'self-review: would review their own access' } });
  await db.update(reviewItem).set({ reviewerId: ids.dana, delegatedFromId: ids.maria, delegationReason: 'on leave' }).where(eq(reviewItem.id, items.delegated.id));
  await log('2026-10-06T09:00:00.000Z', { actor: `person:${ids.maria}`, action: 'review.delegated', subject: { campaign: c!.id, item: items.delegated.id }, payload: { fromPersonId: ids.maria, toPersonId: ids.dana, reason: 'on leave' } });
  await log('2026-10-06T12:00:00.000Z', [
    { actor: `person:${ids.ivan}`, action: 'task.done', subject: { task: revokeTask!.id, request: revoke!.id }, payload: {} },
    { actor: `person:${ids.ivan}`, action: 'request.done', subject: { request: revoke!.id }, payload: { kind: 'revoke' } },
  ]);
  await decide(items.delegated, 'dana', 'approved', '2026-10-06T15:00:00.000Z', '\tlooks right');
  await decide(items.fallback, 'olivia', 'approved', '2026-10-07T09:00:00.000Z', '\rok');
  await log('2026-10-08T06:05:00.000Z', { actor: 'sync:okta', action: 'removal.verified', subject: { request: revoke!.id }, payload: { syncRun: sr1!.id } });

  await db.update(campaign).set({ status: 'closed', closedAt: at('2026-10-31T18:00:00Z') }).where(eq(campaign.id, c!.id));
  await log('2026-10-31T18:00:00.000Z', { actor: 'cli:olivia', action: 'campaign.closed', subject: { campaign: c!.id }, payload: { items: 6, undecided: 1 } });

  const leaver = await buildLeaver(db, log, { person: ids.leo, account: acct.leo, grant: g.leoPayroll, resource: res.payroll, it: ids.ivan });
  const grantReq = await buildGrantRequest(db, log, { lukasz: ids.lukasz, maria: ids.maria, ivan: ids.ivan, github: res.github });
  const after = await log('2027-01-02T00:00:00.000Z', { actor: 'sync:okta', action: 'sync.completed', subject: {}, payload: {} });

  clock.set(Q.exportAt);
  return { clock, campaign: c!, people: ids, resources: res, accounts: { ...acct, orphan: orphan!.id }, grants: g, items, revoke: { requestId: revoke!.id, taskId: revokeTask!.id, syncRunId: sr1!.id }, leaver, grantRequest: grantReq, syncRuns: { baseline: sr0!.id, revocation: sr1!.id }, seq: { lastBeforeQuarter: before[0]!, refused: refused[0]!.seq, afterQuarter: after[0]!.seq } };
}

type Log = (iso: string, events: NewEvidence | NewEvidence[]) => Promise<{ seq: number; hash: string }[]>;

/** Leo leaves on 10 Nov 17:00 with a 24 h SLA: the account goes on time, the Payroll grant a day late. */
async function buildLeaver(db: Db, log: Log, x: { person: string; account: string; grant: string; resource: string; it: string }) {
  const effective = new Date('2026-11-10T17:00:00Z');
  const due = new Date('2026-11-11T17:00:00Z');
  const [sr] = await db.insert(syncRun).values({ source: 'okta', status: 'succeeded', startedAt: new Date('2026-11-12T13:00:00Z'), finishedAt: new Date('2026-11-12T13:00:00Z') }).returning({ id: syncRun.id });
  const [kase] = await db.insert(accessRequest).values({ kind: 'offboard', status: 'verified', subjectPersonId: x.person, requestedBy: 'hr:evt-1', reason: 'resignation', origin: 'hr:evt-1', effectiveAt: effective, dueAt: due, createdAt: new Date('2026-11-09T10:00:00Z'), doneAt: new Date('2026-11-12T12:00:00Z'), verifiedAt: new Date('2026-11-12T13:00:00Z') }).returning({ id: accessRequest.id });
  const child = async (grantId: string | null, resourceId: string | null, doneAt: string, description: string, action: string) => {
    const [r] = await db.insert(accessRequest).values({ kind: 'revoke', status: 'verified', parentId: kase!.id, subjectPersonId: x.person, accountId: x.account, grantId, resourceId, requestedBy: 'hr:evt-1', approvedBy: 'hr:evt-1', carriedOutBy: `person:${x.it}`, createdAt: new Date('2026-11-09T10:00:00Z'), approvedAt: new Date('2026-11-09T10:00:00Z'), doneAt: new Date(doneAt), verifiedAt: new Date('2026-11-12T13:00:00Z'), verifiedBySyncRunId: sr!.id }).returning({ id: accessRequest.id });
    const [t] = await db.insert(task).values({ requestId: r!.id, action, description, ownerId: x.it, status: 'done', notBefore: effective, deadline: due, doneBy: `person:${x.it}`, doneAt: new Date(doneAt), createdAt: new Date('2026-11-09T10:00:00Z') }).returning({ id: task.id });
    return { requestId: r!.id, taskId: t!.id };
  };
  const onTime = await child(null, null, '2026-11-11T09:00:00Z', 'Deactivate leo@acme.test in Okta', 'deactivate_account');
  const late = await child(x.grant, x.resource, '2026-11-12T12:00:00Z', 'Remove Payroll from leo@acme.test', 'remove_grant');
  await log('2026-11-09T10:00:00.000Z', { actor: 'hr:evt-1', action: 'offboarding.started', subject: { request: kase!.id, person: x.person }, payload: { effectiveAt: effective, dueAt: due } });
  await log('2026-11-11T09:00:00.000Z', { actor: `person:${x.it}`, action: 'task.done', subject: { task: onTime.taskId, request: onTime.requestId }, payload: {} });
  await log('2026-11-12T12:00:00.000Z', { actor: `person:${x.it}`, action: 'task.done', subject: { task: late.taskId, request: late.requestId }, payload: {} });
  await log('2026-11-12T13:00:00.000Z', [onTime, late].map((c) => ({ actor: 'sync:okta', action: 'removal.verified', subject: { request: c.requestId }, payload: { syncRun: sr!.id, case: kase!.id } })));
  return { caseId: kase!.id, onTime, late, syncRunId: sr!.id, effective, due };
}

/** Łukasz asks for GitHub, Maria approves, Ivan carries it out; it expires in February. */
async function buildGrantRequest(db: Db, log: Log, x: { lukasz: string; maria: string; ivan: string; github: string }) {
  const [r] = await db
    .insert(accessRequest)
    .values({ kind: 'grant', status: 'done', subjectPersonId: x.lukasz, resourceId: x.github, requestedBy: `person:${x.lukasz}`, approvedBy: `person:${x.maria}`, carriedOutBy: `person:${x.ivan}`, reason: 'new project', origin: 'slack', createdAt: new Date('2026-11-20T09:00:00Z'), approvedAt: new Date('2026-11-20T10:00:00Z'), doneAt: new Date('2026-11-21T09:00:00Z'), expiresAt: new Date('2027-02-20T00:00:00Z') })
    .returning({ id: accessRequest.id });
  await log('2026-11-20T10:00:00.000Z', { actor: `person:${x.maria}`, action: 'request.approved', subject: { request: r!.id }, payload: { kind: 'grant' } });
  return { requestId: r!.id };
}

/** Every entry of a zip, in order, read whole (test bundles are small). */
export async function unzip(path: string): Promise<Map<string, Buffer>> {
  const { zipEntries } = await import('../../src/domain/evidence/export/read-zip.js');
  const out = new Map<string, Buffer>();
  for await (const entry of zipEntries(path)) {
    const chunks: Buffer[] = [];
    for await (const c of await entry.open()) chunks.push(c as Buffer);
    out.set(entry.name, Buffer.concat(chunks));
  }
  return out;
}

/** Writes a new zip with the same entries, one of them changed by `edit`: a tampered bundle. */
export async function rezip(from: string, to: string, name: string, edit: (b: Buffer) => Buffer): Promise<void> {
  const { default: yazl } = await import('yazl');
  const { createWriteStream } = await import('node:fs');
  const { pipeline } = await import('node:stream/promises');
  const entries = await unzip(from);
  if (!entries.has(name)) throw new Error(`no ${name} in ${from}`);
  const zip = new yazl.ZipFile();
  for (const [n, b] of entries) zip.addBuffer(n === name ? edit(Buffer.from(b)) : b, n);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(to));
}
