import { describe, expect, it } from 'vitest';
import { signHr, verifyHrSignature } from '../../src/http/hooks/verify-hr-signature.js';
import { parseHrEvent } from '../../src/http/hooks/parse-hr-event.js';
import { parseOktaEvents } from '../../src/http/hooks/parse-okta-events.js';
import { constantTimeEqual } from '../../src/http/hooks/constant-time.js';
import { parseCaseTime } from '../../src/domain/lifecycle/parse-case-time.js';

const now = new Date('2026-10-01T09:00:00Z');
const t = Math.floor(now.getTime() / 1000);
const body = '{"id":"e1"}';

describe('HR webhook signature', () => {
  it('accepts a fresh signature over the exact body, among several v1 values', () => {
    expect(verifyHrSignature('s', `t=${t},v1=${signHr('s', t, body)}`, body, now)).toBe(true);
    expect(verifyHrSignature('s', `t=${t}, v1=deadbeef, v1=${signHr('s', t, body)}`, body, now)).toBe(true);
  });

  it('refuses another body, another secret, a missing part and a time outside five minutes', () => {
    expect(verifyHrSignature('s', `t=${t},v1=${signHr('s', t, body)}`, `${body} `, now)).toBe(false);
    expect(verifyHrSignature('s', `t=${t},v1=${signHr('x', t, body)}`, body, now)).toBe(false);
    expect(verifyHrSignature('s', `v1=${signHr('s', t, body)}`, body, now)).toBe(false);
    expect(verifyHrSignature('s', `t=${t}`, body, now)).toBe(false);
    expect(verifyHrSignature('s', undefined, body, now)).toBe(false);
    expect(verifyHrSignature('s', `t=${t - 301},v1=${signHr('s', t - 301, body)}`, body, now)).toBe(false);
    expect(verifyHrSignature('s', `t=${t - 299},v1=${signHr('s', t - 299, body)}`, body, now)).toBe(true);
  });

  it('compares secrets of any length without throwing', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual(undefined, 'abc')).toBe(false);
  });
});

describe('HR webhook body', () => {
  const valid = { id: 'e1', type: 'employee.terminated', occurred_at: '2026-10-01T08:00:00Z', employee: { email: 'A@x.test' } };

  it('names the missing or malformed field', () => {
    expect(parseHrEvent(JSON.stringify({ ...valid, employee: {} }), 'UTC')).toEqual({ ok: false, error: 'employee.email is required', field: 'employee.email' });
    expect(parseHrEvent(JSON.stringify({ ...valid, employee: undefined }), 'UTC')).toMatchObject({ ok: false, field: 'employee' });
    expect(parseHrEvent(JSON.stringify({ ...valid, type: 'x' }), 'UTC')).toMatchObject({ ok: false, field: 'type', error: expect.stringContaining('employee.hired') });
    expect(parseHrEvent(JSON.stringify({ ...valid, employee: { email: 'a@x.test', effective_at: '2026-10-02' } }), 'UTC')).toMatchObject({ field: 'employee.effective_at' });
    expect(parseHrEvent(JSON.stringify({ ...valid, type: 'employee.hired', employee: { email: 'a@x.test', start_date: '2026-02-30' , name: 'A' } }), 'UTC')).toMatchObject({ field: 'employee.start_date' });
    expect(parseHrEvent('[]', 'UTC')).toMatchObject({ ok: false });
  });

  it('normalises the email and reads a start date as the start of that day in TZ', () => {
    const hired = { ...valid, type: 'employee.hired', employee: { email: 'A@x.test', name: 'A', start_date: '2026-11-02' } };
    const parsed = parseHrEvent(JSON.stringify(hired), 'Europe/Berlin');
    expect(parsed).toMatchObject({ ok: true, event: { employee: { email: 'a@x.test', startDate: new Date('2026-11-01T23:00:00Z') } } });
  });
});

describe('case times', () => {
  it('takes offsets as given and wall times in TZ', () => {
    expect(parseCaseTime('2026-11-02T09:00:00+01:00', { tz: 'UTC', field: 'f' })).toEqual(new Date('2026-11-02T08:00:00Z'));
    expect(parseCaseTime('2026-11-02T09:00', { tz: 'America/New_York', field: 'f' })).toEqual(new Date('2026-11-02T14:00:00Z'));
    expect(() => parseCaseTime('next monday', { tz: 'UTC', field: 'f' })).toThrow(/not a date/);
  });
});

describe('Okta event hook body', () => {
  it('keeps only User targets', () => {
    const raw = JSON.stringify({ data: { events: [{ uuid: 'u1', eventType: 'user.lifecycle.deactivate', target: [{ id: '00u1', type: 'User', alternateId: 'a@x.test' }, { id: 'app', type: 'AppInstance' }] }] } });
    expect(parseOktaEvents(raw)).toEqual({ ok: true, events: [{ uuid: 'u1', eventType: 'user.lifecycle.deactivate', published: null, users: [{ id: '00u1', alternateId: 'a@x.test' }] }] });
    expect(parseOktaEvents('{"data":{"events":[{"eventType":"x"}]}}')).toMatchObject({ ok: false, field: 'data.events.0.uuid' });
  });
});
