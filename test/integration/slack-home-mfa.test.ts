import { beforeAll, describe, expect, it } from 'vitest';
import { openHomeTab } from '../helpers/app-home.js';
import type { TestDatabase } from '../helpers/db.js';
import { testDeps } from '../helpers/deps.js';
import { homeViewErrors } from '../helpers/slack-blocks.js';
import type { TestServer } from '../helpers/serve.js';
import { serverForFile } from '../helpers/server-for-file.js';
import { seedPerson } from '../helpers/slack-seed.js';
import { group, member, memoryConnector, user } from '../fakes/memory-connector.js';
import { runSync } from '../../src/domain/directory/run-sync.js';

let t: TestDatabase;
let s: TestServer;
serverForFile((started) => ({ t, s } = started));
let sync: () => Promise<unknown>;
const org = {
  accounts: [
    user('u1', 'ann@acme.test', { mfa: { enrolled: true } }),
    user('u2', 'root@acme.test', { mfa: { enrolled: false } }),
    user('u3', 'bo@acme.test', { mfa: { enrolled: false } }),
    user('u4', 'cy@acme.test', { mfa: { enrolled: false } }),
    user('u5', 'gone@acme.test', { status: 'suspended', rawStatus: 'SUSPENDED', mfa: { enrolled: false } }),
  ],
  resources: [group('g1', 'Engineering'), group('g2', 'AWS Admins', true)],
  grants: [member('u1', 'g2'), member('u2', 'g2'), member('u3', 'g1')],
};

beforeAll(async () => {
  const c = memoryConnector(org);
  const deps = testDeps(t.db);
  sync = async () => {
    deps.clock.advance(3600_000);
    return runSync(deps, c);
  };
  await sync();
  await seedPerson(t.db, { email: 'cora@example.com', name: 'Cora Compliance', slackUserId: 'U0CORA', roles: ['compliance'] });
  await seedPerson(t.db, { email: 'mia@example.com', name: 'Mia Manager', slackUserId: 'U0MIA' });
});

const openHome = (userId: string) => openHomeTab(s, userId);

describe('App Home: MFA coverage', () => {
  it('shows compliance the active accounts without MFA and the privileged ones among them', async () => {
    const view = await openHome('U0CORA');
    expect(homeViewErrors(view)).toEqual([]);
    // u2 (privileged), u3 and u4; not the suspended u5, not u1 who has MFA.
    expect(JSON.stringify(view.blocks)).toContain('*MFA coverage*: 3 active accounts without MFA, 1 of them privileged');
  });

  it('follows the next sync', async () => {
    org.accounts[1]!.mfa = { enrolled: true };
    await sync();
    const view = await openHome('U0CORA');
    expect(JSON.stringify(view.blocks)).toContain('*MFA coverage*: 2 active accounts without MFA, 0 of them privileged');
  });

  it('is not shown to someone without the compliance role', async () => {
    const view = await openHome('U0MIA');
    expect(JSON.stringify(view.blocks)).not.toContain('MFA coverage');
  });
});
