/**
 * The fake Okta for bench/sync, in its own process so that the benchmark's peak memory and CPU
 * are Attest's alone. `--users N` scales the org (default 10,000: 1,000 groups, 100,000
 * memberships, 300 apps, 60,000 assignments; the same proportions at any size; nine users in ten
 * with an enrolled factor, served at /api/v1/users/{id}/factors). Prints
 * `{url, minimumRequests}` on its first stdout line, then serves.
 */
import { parseArgs } from 'node:util';
import { generateOktaOrg, minimumRequests, startFakeOkta } from '../test/fakes/okta/index.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '10000' } } });
const users = Number(values.users);
const org = generateOktaOrg({
  users,
  groups: Math.max(1, Math.round(users / 10)),
  memberships: users * 10,
  apps: Math.max(1, Math.min(300, Math.round(users / 33))),
  assignments: users * 6,
  seed: 7,
});
// The floor the benchmark compares against assumes the org's rate limits are not the bottleneck
// (a large org on a raised tier); the default per-minute buckets would make /apps alone take minutes.
const fake = await startFakeOkta({
  org,
  apiToken: 'bench-token',
  latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 50),
  rateLimits: { buckets: [{ pattern: /^\//, limit: 1_000_000 }] },
});
process.stdout.write(`${JSON.stringify({ url: fake.url, minimumRequests: minimumRequests(org) })}\n`);
process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
