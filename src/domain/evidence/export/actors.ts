import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/**
 * Actor strings name people as `person:<id>`; the bundle shows their email instead, and any
 * other actor (`connector:okta`, `sync:google`, `cli:alice`, `system`) as it is.
 * Join condition: person `id` matches the actor column.
 */
export function isActor(personId: AnyPgColumn, actorColumn: AnyPgColumn): SQL {
  // Compared as a uuid so the join uses person's primary key: comparing text built from every
  // person's id is a nested loop over all people per row. CASE evaluates lazily, so only
  // well-formed ids reach the cast.
  return sql`${personId} = (case when ${actorColumn} ~ '^person:[0-9a-fA-F-]{36}$' then substr(${actorColumn}, 8)::uuid end)`;
}

/** The person's email when the actor is a known person, otherwise the actor string itself. */
export function showActor(actor: string | null, email: string | null | undefined): string | null {
  return email ?? actor;
}
