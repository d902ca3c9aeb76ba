import { sql } from 'drizzle-orm';
import { systemClock } from '../../src/clock.js';
import { createCampaign } from '../../src/domain/reviews/create-campaign.js';
import { launchCampaign } from '../../src/domain/reviews/launch-campaign.js';
import { seedReviewDirectory, reviewOrg } from '../factories/review-directory.js';
import { group, member, user, type MemoryOrg } from '../fakes/memory-connector.js';
import type { TestDatabase } from './db.js';
import { testDeps } from './deps.js';

/**
 * The review directory of test/factories/review-directory.ts, grown by `managers` line
 * managers under the CEO, each with `reportsPer` reports holding 3 to 14 of 30 extra groups
 * (so some review DMs run to two pages). With the factory's own reviewers that makes about
 * `managers + 4` reviewers.
 */
export function grownReviewOrg(o: { managers: number; reportsPer: number }): MemoryOrg {
  const org = reviewOrg();
  const groups = Array.from({ length: 30 }, (_, g) => group(`fg${g}`, `Fault group ${g}`, g % 7 === 0));
  org.resources.push(...groups);
  for (let m = 0; m < o.managers; m += 1) {
    org.accounts.push(user(`fm${m}`, `mgr${m}@acme.test`, { manager: 'u1' }));
    for (let r = 0; r < o.reportsPer; r += 1) {
      const id = `fr${m}x${r}`;
      org.accounts.push(user(id, `rep${m}x${r}@acme.test`, { manager: `fm${m}` }));
      const held = 3 + ((m * 7 + r * 5) % 12);
      for (let k = 0; k < held; k += 1) org.grants.push(member(id, `fg${(m * 3 + r * 11 + k) % 30}`));
    }
  }
  return org;
}

/**
 * Seeds the grown org through the domain (sync, roles, Slack links for everyone, so every DM
 * is deliverable), then creates and launches a campaign on the wall clock: its DMs are queued
 * in the outbox for `serve` to deliver.
 */
export async function seedLaunchedCampaign(t: TestDatabase, o: { managers: number; reportsPer: number }) {
  const deps = { ...testDeps(t.db), clock: systemClock };
  await seedReviewDirectory(testDeps(t.db), grownReviewOrg(o));
  // sam and the new people have no Slack user in the factory: give everyone one.
  await t.db.execute(sql`update person set slack_user_id = 'UF' || lpad(sub.n::text, 5, '0')
    from (select id, row_number() over (order by email) as n from person where slack_user_id is null) sub
    where person.id = sub.id`);
  const campaign = await createCampaign(deps, {
    name: 'Fault injection review',
    dueAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
    ownerEmail: 'comp@acme.test',
    actor: 'test',
  });
  const launched = await launchCampaign(deps, { campaignId: campaign.id, actor: 'test' });
  return { campaignId: campaign.id, summary: launched.summary };
}
