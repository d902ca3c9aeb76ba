import type { WebClient } from '@slack/web-api';
import type { Deps } from '../deps.js';
import { findPersonBySlackId } from '../domain/people/find-person.js';
import { getSetupChecklist } from '../domain/home/get-setup-checklist.js';
import { getWaitingWork } from '../domain/home/get-waiting-work.js';
import { homeSetupChecklist } from './home-doctor.js';
import { buildHomeView, buildUnknownUserHomeView } from './views/home.js';

/** Renders one user's Home tab from the database and publishes it (views.publish is Tier 4). */
export async function publishHome(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  client: WebClient,
  slackUserId: string,
): Promise<void> {
  const person = await findPersonBySlackId(deps.db, slackUserId);
  const view = person
    ? buildHomeView({
        name: person.name,
        work: await getWaitingWork(deps, person.id),
        setup: await getSetupChecklist(deps, person.id, homeSetupChecklist(deps, client)),
        now: deps.clock.now(),
      })
    : buildUnknownUserHomeView(slackUserId);
  await client.views.publish({ user_id: slackUserId, view });
}
