import { z } from 'zod';
import { parseJsonBody } from './parse-json-body.js';
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
  const parsed = parseJsonBody(rawBody, schema);
  if (!parsed.ok) return parsed;
  return {
    ok: true,
    events: parsed.data.data.events.map((e) => ({
      uuid: e.uuid,
      eventType: e.eventType,
      users: (e.target ?? []).filter((t) => t.type === 'User').map((t) => ({ id: t.id, alternateId: t.alternateId ?? null })),
    })),
  };
}
