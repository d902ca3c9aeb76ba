import type { Deps } from '../../deps.js';
import { appendEvidence } from './append-evidence.js';

/**
 * A refused attempt (wrong reviewer, self-review, non-HR offboarding…) is a security event.
 * It is written in its own transaction: the refusal must be on record even though the
 * change it asked for is not made.
 */
export async function recordRefusal(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: string; attempted: string; subject: Record<string, string>; reason: string },
): Promise<void> {
  await deps.db.transaction((tx) =>
    appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'security.refused',
      subject: input.subject,
      payload: { attempted: input.attempted, reason: input.reason },
    }),
  );
}
