import { z } from 'zod';
import type { OktaEvent } from '../../domain/lifecycle/accept-okta-events.js';

const target = z.object({ id: z.string().min(1), type: z.string(), alternateId: z.string().nullable().optional() }).passthrough();
const event = z
  .object({
    uuid: z.string().min(1),
    eventType: z.string().min(1),
    target: z.array(target).nullable().optional(),
  })
  .passthrough();
const schema = z.object({ data: z.object({ events: z.array(event) }).passthrough() }).passthrough();

export type ParsedOktaEvents = { ok: true; events: OktaEvent[] } | { ok: false; error: string; field: string };

/** An Okta event hook delivery: `data.events[]`, each with its User targets. */
export function parseOktaEvents(rawBody: string): ParsedOktaEvents {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: 'body is not JSON', field: 'body' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'body';
    return { ok: false, error: `${field}: ${issue.message}`, field };
  }
  return {
    ok: true,
    events: parsed.data.data.events.map((e) => ({
      uuid: e.uuid,
      eventType: e.eventType,
      users: (e.target ?? []).filter((t) => t.type === 'User').map((t) => ({ id: t.id, alternateId: t.alternateId ?? null })),
    })),
  };
}
