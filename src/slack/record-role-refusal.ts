import type { Deps } from '../deps.js';
import type { Role } from '../db/schema/index.js';
import { recordRefusal } from '../domain/evidence/record-refusal.js';
import type { Caller } from './caller.js';

/**
 * Trying something reserved to a role (a `/attest` subcommand, the digest's evidence button) is
 * a security event, on record like any refusal, in one shape whatever Slack surface it came
 * from: the person (or the bare Slack user the directory does not know), what they tried, and
 * the role it needs.
 */
export async function recordRoleRefusal(
  deps: Pick<Deps, 'db' | 'clock'>,
  caller: Caller,
  input: { attempted: string; role: Role; subject?: Record<string, string> },
): Promise<void> {
  await recordRefusal(deps, {
    actor: caller.person ? `person:${caller.person.id}` : `slack:${caller.slackUserId}`,
    attempted: input.attempted,
    subject: { slackUser: caller.slackUserId, ...input.subject },
    reason: `requires the ${input.role} role`,
  });
}
