import type { Deps } from '../../../deps.js';
import type { Person } from '../../../db/schema/index.js';
import { recordRefusal } from '../../../domain/evidence/record-refusal.js';
import { MESSAGES } from '../../../domain/reviews/refuse.js';
import { AppError } from '../../../errors.js';
import { identifyCaller, type Caller } from '../../caller.js';

/**
 * The directory person behind a click. A Slack user the directory does not know cannot decide
 * anything: the attempt is a security event like any refusal, recorded under their Slack id
 * (there is no person id to name), and answered with the domain's own wording.
 */
export async function actingPerson(deps: Pick<Deps, 'db' | 'clock'>, slackUserId: string, attempted: string, subject: Record<string, string>): Promise<{ person: Person; caller: Caller }> {
  const caller = await identifyCaller(deps, slackUserId);
  if (caller.person && caller.person.status !== 'terminated') return { person: caller.person, caller };
  await recordRefusal(deps, { actor: `slack:${slackUserId}`, attempted, subject, reason: caller.person ? 'person has left' : 'actor not in the directory' });
  throw new AppError('FORBIDDEN', MESSAGES.unknownActor);
}
