/**
 * The fake Okta for bench/sync, in its own process so that the benchmark's peak memory and CPU
 * are Attest's alone. Prints `{url, minimumRequests}` on its first stdout line, then serves.
 */
import { generateOktaOrg, minimumRequests, startFakeOkta } from '../test/fakes/okta/index.js';

const org = generateOktaOrg({ users: 10_000, groups: 1_000, memberships: 100_000, apps: 300, assignments: 60_000, seed: 7 });
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
