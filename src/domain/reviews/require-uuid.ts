import { AppError } from '../../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids arrive from people (CLI arguments) and from Slack payloads; a malformed one is answered
 * as "no such thing" instead of reaching Postgres as a type error.
 */
export function requireUuid(value: string, what: string): string {
  if (!UUID.test(value)) throw new AppError('NOT_FOUND', `No ${what} with id ${value}`);
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
