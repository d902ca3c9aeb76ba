import type { OktaOrg } from '../fakes/okta/index.js';
import type { FakeUser } from '../fakes/slack-server.js';

/**
 * The staff of Acme, the company every journey test runs: who they are in Okta (name, title,
 * department) and in Slack (their user id). Each journey adds the people it needs, with their
 * managers, to its own fake Okta org, and gives the fake Slack the same people by email: the
 * product must find out the link itself, as an operator's install would.
 */
export const ACME = {
  cora: { first: 'Cora', title: 'CEO', department: 'Leadership', slack: 'U0CORA' },
  maya: { first: 'Maya', title: 'Engineering Manager', department: 'Engineering', slack: 'U0MAYA' },
  leo: { first: 'Leo', title: 'Engineer', department: 'Engineering', slack: 'U0LEO' },
  sam: { first: 'Sam', title: 'Engineer', department: 'Engineering', slack: 'U0SAM' },
  sara: { first: 'Sara', title: 'Sales Director', department: 'Sales', slack: 'U0SARA' },
  tom: { first: 'Tom', title: 'Account Executive', department: 'Sales', slack: 'U0TOM' },
  carla: { first: 'Carla', title: 'Compliance Lead', department: 'Compliance', slack: 'U0CARLA' },
} as const;
export type AcmeWho = keyof typeof ACME;

export const ACME_DOMAIN = 'acme.test';
export const acmeEmail = (who: AcmeWho) => `${who}@${ACME_DOMAIN}`;
export const acmeName = (who: AcmeWho) => `${ACME[who].first} Acme`;

/**
 * Adds people to a fake Okta org as ACTIVE users, in order, each `[who, manager]` after their
 * manager; returns their Okta ids. `lastLoginDaysAgo` keeps them clear of stale-login hints.
 */
export function addAcmePeople(org: OktaOrg, people: readonly (readonly [AcmeWho, AcmeWho?])[], opts: { lastLoginDaysAgo: number }): Record<AcmeWho, string> {
  const ids = {} as Record<AcmeWho, string>;
  for (const [who, manager] of people) {
    const p = ACME[who];
    ids[who] = org.addUser({
      status: 'ACTIVE',
      lastLogin: new Date(Date.now() - opts.lastLoginDaysAgo * 86_400_000).toISOString(),
      profile: {
        firstName: p.first,
        lastName: 'Acme',
        email: acmeEmail(who),
        login: acmeEmail(who),
        title: p.title,
        department: p.department,
        ...(manager ? { managerId: ids[manager] } : {}),
      },
    }).id;
  }
  return ids;
}

/** The same people as Slack users (with the bot), all reading times in `tz`; `email` overrides a Slack profile's address. */
export function acmeSlackUsers(people: readonly AcmeWho[], tz: string, email: Partial<Record<AcmeWho, string>> = {}): FakeUser[] {
  return [
    ...people.map((who) => ({ id: ACME[who].slack, name: who, real_name: acmeName(who), email: email[who] ?? acmeEmail(who), tz })),
    { id: 'U0ATTESTBOT', name: 'attest', is_bot: true },
  ];
}
