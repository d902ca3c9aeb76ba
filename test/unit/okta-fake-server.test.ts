import { afterEach, describe, expect, it } from 'vitest';
import { generateOktaOrg, sampleOktaOrg, startFakeOkta, type FakeOkta } from '../fakes/okta/index.js';

const TOKEN = 'fake-token';
let fake: FakeOkta | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const get = (path: string, token = TOKEN) => fetch(`${fake!.url}${path}`, { headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' } });
const nextLink = (res: Response) => /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];

describe('fake Okta', () => {
  it('caps a limit above the endpoint maximum and links the next page with an absolute after cursor', async () => {
    fake = await startFakeOkta({ apiToken: TOKEN, org: generateOktaOrg({ users: 450, groups: 1, memberships: 0, apps: 0, assignments: 0, seed: 1, admins: 0 }) });
    const first = await get('/api/v1/users?limit=1000&filter=status%20eq%20%22ACTIVE%22');
    const page = (await first.json()) as Array<{ id: string; status: string; profile: object; _links: object }>;
    expect(page).toHaveLength(200);
    expect(page[0]).toMatchObject({ status: 'ACTIVE', profile: expect.any(Object), _links: expect.any(Object) });
    const next = new URL(nextLink(first)!);
    expect(next.origin).toBe(fake.url);
    expect(next.searchParams.get('after')).toBe(page[199]!.id);
    expect(next.searchParams.get('limit')).toBe('200');
    expect(next.searchParams.get('filter')).toBe('status eq "ACTIVE"');
    expect(first.headers.get('link')).toContain('rel="self"');
  });

  it('gives the last page no next link', async () => {
    fake = await startFakeOkta({ apiToken: TOKEN, org: sampleOktaOrg().org });
    const res = await get('/api/v1/users?limit=200');
    expect(nextLink(res)).toBeUndefined();
  });

  it('leaves DEPROVISIONED users out unless a filter or search asks for them', async () => {
    const s = sampleOktaOrg();
    fake = await startFakeOkta({ apiToken: TOKEN, org: s.org });
    const ids = async (path: string) => ((await (await get(path)).json()) as Array<{ id: string }>).map((u) => u.id);
    expect(await ids('/api/v1/users')).not.toContain(s.users.gone.id);
    expect(await ids('/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22')).toEqual([s.users.gone.id]);
    expect(await ids('/api/v1/users?search=status%20eq%20%22DEPROVISIONED%22')).toEqual([s.users.gone.id]);
  });

  it('announces the rate limit on every answer and answers 429 with E0000047 when the bucket is empty', async () => {
    fake = await startFakeOkta({ apiToken: TOKEN, org: sampleOktaOrg().org, rateLimits: { windowSeconds: 60, buckets: [{ pattern: /^\/api\/v1\/groups/, limit: 2 }] } });
    const a = await get('/api/v1/groups');
    expect([a.headers.get('x-rate-limit-limit'), a.headers.get('x-rate-limit-remaining')]).toEqual(['2', '1']);
    expect(Number(a.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    await get('/api/v1/groups');
    const limited = await get('/api/v1/groups');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ errorCode: 'E0000047' });
  });

  it('refuses a wrong API token with 401 E0000011', async () => {
    fake = await startFakeOkta({ apiToken: TOKEN, org: sampleOktaOrg().org });
    const res = await get('/api/v1/users', 'wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000011' });
  });

  it('fails the Nth request, or requests to a path, as injected, and counts requests per path', async () => {
    fake = await startFakeOkta({ apiToken: TOKEN, org: sampleOktaOrg().org });
    fake.inject({ nth: 2, status: 500 });
    fake.inject({ path: /^\/api\/v1\/apps$/, status: 503, times: 1 });
    expect((await get('/api/v1/users')).status).toBe(200);
    expect((await get('/api/v1/users')).status).toBe(500);
    expect((await get('/api/v1/apps')).status).toBe(503);
    expect((await get('/api/v1/apps')).status).toBe(200);
    expect(fake.stats.byPath.get('/api/v1/users')).toBe(2);
    expect(fake.stats.total).toBe(4);
  });

  it('derives scope GROUP app users from group assignments', async () => {
    const s = sampleOktaOrg();
    fake = await startFakeOkta({ apiToken: TOKEN, org: s.org });
    const users = (await (await get(`/api/v1/apps/${s.apps.github.id}/users`)).json()) as Array<{ id: string; scope: string }>;
    const scope = Object.fromEntries(users.map((u) => [u.id, u.scope]));
    expect(scope).toEqual({ [s.users.alice.id]: 'GROUP', [s.users.bob.id]: 'USER', [s.users.carol.id]: 'GROUP' });
  });
});

describe('generateOktaOrg', () => {
  it('is deterministic for a seed and produces exactly the asked-for counts', () => {
    const opts = { users: 500, groups: 20, memberships: 3000, apps: 10, assignments: 700, seed: 11 };
    const a = generateOktaOrg(opts);
    const b = generateOktaOrg(opts);
    expect([...a.users.values()]).toEqual([...b.users.values()]);
    expect(a.users.size).toBe(500);
    expect([...a.members.values()].reduce((n, m) => n + m.size, 0)).toBe(3000);
    expect([...a.appDirect.values()].reduce((n, m) => n + m.size, 0)).toBe(700);
    expect(new Set([...a.users.values()].map((u) => u.status)).size).toBe(8);
    expect(generateOktaOrg({ ...opts, seed: 12 }).users.get(a.userIds.values()[0]!)).toBeUndefined();
  });
});
