import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import { recordRefusal } from '../evidence/record-refusal.js';

/**
 * Writes the `security.refused` event (in its own transaction, so it stays on record) and
 * returns the FORBIDDEN error for the caller to throw with a message the person can act on.
 */
export async function refuse(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actorPersonId: string; attempted: string; subject: Record<string, string>; reason: string; message: string },
): Promise<AppError> {
  await recordRefusal(deps, { actor: `person:${input.actorPersonId}`, attempted: input.attempted, subject: input.subject, reason: input.reason });
  return new AppError('FORBIDDEN', input.message, { detail: `${input.actorPersonId} refused ${input.attempted}: ${input.reason}` });
}

export const MESSAGES = {
  ownAccess: "You can't decide on your own access. Ask the campaign owner to reassign this item.",
  notReviewer: 'Only the reviewer this item is assigned to (or someone they delegated it to) can decide it.',
  unknownActor: "You're not in the directory, so you can't decide review items.",
  firstReviewer: 'You approved this access at the first level, so its second review must be someone else’s. Reassign it.',
} as const;
