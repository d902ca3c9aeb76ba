import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { evidenceEvent, person } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';

/** A refused Okta event as the compliance channel is told about it, read from its evidence event. */
export interface OktaRefusal {
  seq: number;
  at: Date;
  eventType: string;
  oktaEvent: string;
  oktaUser: string | null;
  login: string | null;
  published: string | null;
  code: string;
  reason: string;
  person: { name: string; email: string } | null;
}

export async function getOktaRefusal(db: Db, seq: number): Promise<OktaRefusal> {
  const [e] = await db.select().from(evidenceEvent).where(eq(evidenceEvent.seq, seq));
  if (!e || e.action !== 'security.refused') throw new AppError('NOT_FOUND', `no refusal at evidence #${seq}`);
  const p = e.payload;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const personId = str(e.subject.person);
  const [who] = personId ? await db.select({ name: person.name, email: person.email }).from(person).where(eq(person.id, personId)) : [];
  return {
    seq: e.seq,
    at: e.at,
    eventType: str(p.eventType) ?? 'an Okta event',
    oktaEvent: e.subject.oktaEvent ?? '',
    oktaUser: str(e.subject.oktaUser),
    login: str(p.login),
    published: str(p.published),
    code: str(p.code) ?? 'refused',
    reason: str(p.reason) ?? 'no reason recorded',
    person: who ?? null,
  };
}
