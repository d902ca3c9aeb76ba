export { startFakeOkta, type FakeOkta, type FakeOktaOptions, type Injection } from './server.js';
export { OktaOrg, type FakeUser, type FakeGroup, type FakeApp, type FakeRole, type FakeUserStatus, type FakeFactor } from './org.js';
export { generateOktaOrg, type GenerateOrgOptions } from './generate-org.js';
export { PAGE_RULES } from './routes-read.js';
export { sampleOktaOrg } from './sample-org.js';
export { DEFAULT_BUCKETS, type RateLimitBucket } from './rate-limits.js';
export type { FakeOAuthClient } from './oauth.js';
export { minimumRequests } from './minimum-requests.js';
