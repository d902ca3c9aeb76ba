import type { Db } from '../../db/client.js';
import { findUndeliverable } from '../outbox/find-undeliverable.js';
import { findAdminLinks, type AdminLink } from './find-admin-links.js';
import { findSlackLinks } from './find-slack-links.js';
import { ok, warn, type Check } from './types.js';

/** Enough names to act on without flooding a terminal line or a Home section. */
export const NAMED = 10;

const LINK =
  'run `attest sync` with SLACK_BOT_TOKEN set (people are matched to Slack users by email); anyone still unlinked needs a Slack account with that email: invite them, or correct their Slack profile email';

export function slackLinksCheck(db: () => Db): Check {
  return {
    name: 'slack_links',
    async run() {
      const l = await findSlackLinks(db(), NAMED);
      if (l.people === 0) return warn('the directory is empty: nobody to review or notify yet', 'run `attest sync` (see the source checks)');
      const head = `${l.linked} of ${l.people} people are linked to Slack`;
      if (l.unlinkedReviewers > 0) {
        const names = l.sample.map((p) => p.email).join(', ');
        const more = l.unlinkedReviewers > l.sample.length ? ` and ${l.unlinkedReviewers - l.sample.length} more` : '';
        return warn(`${head}; ${l.unlinkedReviewers} likely reviewers (managers, resource owners) are not: ${names}${more}`, LINK);
      }
      if (l.linked === 0) return warn(`${head}: nobody can get a DM`, LINK);
      return ok(`${head}, including every manager and resource owner`);
    },
  };
}

export function adminsCheck(db: () => Db, emails: readonly string[]): Check {
  return {
    name: 'admins',
    async run() {
      const { admins, adminHolders } = await findAdminLinks(db(), emails);
      if (admins.length === 0) {
        if (adminHolders > 0) return ok(`ATTEST_ADMINS is not set; ${adminHolders} people hold the admin role`);
        return warn('nobody holds the admin role', 'set ATTEST_ADMINS=you@example.com (applied when `attest serve` first starts), or run `attest roles grant admin EMAIL`');
      }
      const problems = admins.map(problemOf).filter((p): p is string => p !== undefined);
      if (problems.length === 0) return ok(`every ATTEST_ADMINS person (${admins.map((a) => a.email).join(', ')}) is in the directory and linked to Slack`);
      return warn(
        `ATTEST_ADMINS: ${problems.join('; ')}`,
        'check the spelling of ATTEST_ADMINS against the directory; run `attest sync` with SLACK_BOT_TOKEN set to link them to Slack; `attest roles grant admin EMAIL` for one who lacks the role',
      );
    },
  };
}

function problemOf(a: AdminLink): string | undefined {
  if (!a.found) return `${a.email} is not in the directory`;
  const wrong = [
    !a.inDirectory && 'is in no synced source',
    !a.linked && 'has no Slack user',
    // ATTEST_ADMINS is only applied while nobody holds admin.
    !a.isAdmin && 'does not hold the admin role',
  ].filter(Boolean);
  return wrong.length > 0 ? `${a.email} ${wrong.join(', ')}` : undefined;
}

export function undeliverableCheck(db: () => Db): Check {
  return {
    name: 'undeliverable',
    async run() {
      const r = await findUndeliverable(db());
      if (r.total === 0) return ok('no message is waiting for a recipient without a Slack user');
      const shown = r.recipients.slice(0, NAMED).map((p) => `${p.name || p.email} <${p.email}> (${p.messages})`);
      const more = r.recipients.length > shown.length ? ` and ${r.recipients.length - shown.length} more` : '';
      return warn(
        `${r.total} messages could not be delivered because the recipient has no Slack user: ${shown.join(', ')}${more}`,
        'invite each of them to Slack with that email (or correct their Slack profile email), then run `attest sync` with SLACK_BOT_TOKEN set to link them',
      );
    },
  };
}
