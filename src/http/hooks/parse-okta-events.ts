import { z } from 'zod';
import { parseJsonBody } from './parse-json-body.js';
import type { OktaEvent } from '../../domain/lifecycle/accept-okta-events.js';

const target = z.object({ id: z.string().min(1), type: z.string(), alternateId: z.string().nullable().optional() }).passthrough();
const event = z
  .object({
    uuid: z.string().min(1),
    eventType: z.string().min(1),
    // Optional here so one odd event does not refuse the whole delivery; without it the event is refused as stale.
    published: z.string().nullable().optional(),
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
      published: publishedAt(e.published),
      users: (e.target ?? []).filter((t) => t.type === 'User').map((t) => ({ id: t.id, alternateId: t.alternateId ?? null })),
    })),
  };
}

function publishedAt(value: string | null | undefined): Date | null {
  const d = value ? new Date(value) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}
