import { describe, expect, it } from 'vitest';
import { attestationStatement, normaliseAttestation } from '../../src/domain/reviews/attestation.js';
import { checkExceptionTerms, parseExceptionEnd } from '../../src/domain/reviews/exception-terms.js';

const now = new Date('2026-10-01T09:00:00Z');

describe('the end date of an exception', () => {
  it('is the end of the picked day in the reviewer’s own zone', () => {
    expect(parseExceptionEnd('2026-11-15', { tz: 'UTC', now })).toEqual(new Date('2026-11-15T23:59:59.999Z'));
    expect(parseExceptionEnd('2026-11-15', { tz: 'America/New_York', now })).toEqual(new Date('2026-11-16T04:59:59.999Z'));
  });

  it('must be tomorrow or later, and at most 365 days ahead', () => {
    expect(() => parseExceptionEnd('2026-10-01', { tz: 'UTC', now })).toThrow('The end date must be in the future');
    // At 20:00 UTC it is already 2 October in Tokyo: the 2nd is today there, tomorrow in UTC.
    const evening = new Date('2026-10-01T20:00:00Z');
    expect(() => parseExceptionEnd('2026-10-02', { tz: 'Asia/Tokyo', now: evening })).toThrow('in the future');
    expect(parseExceptionEnd('2026-10-02', { tz: 'UTC', now: evening })).toEqual(new Date('2026-10-02T23:59:59.999Z'));
    expect(parseExceptionEnd('2026-10-02', { tz: 'UTC', now })).toEqual(new Date('2026-10-02T23:59:59.999Z'));
    expect(parseExceptionEnd('2027-10-01', { tz: 'UTC', now })).toEqual(new Date('2027-10-01T23:59:59.999Z'));
    expect(() => parseExceptionEnd('2027-10-02', { tz: 'UTC', now })).toThrow('at most a year');
    expect(() => parseExceptionEnd('2026-02-30', { tz: 'UTC', now })).toThrow('Pick the date');
    expect(() => parseExceptionEnd('soon', { tz: 'UTC', now })).toThrow('Pick the date');
  });

  it('is checked again by the domain, with the control', () => {
    expect(() => checkExceptionTerms('  ', new Date('2026-11-01'), now)).toThrow('compensating control');
    expect(() => checkExceptionTerms('x'.repeat(1001), new Date('2026-11-01'), now)).toThrow('within 1000');
    expect(() => checkExceptionTerms('log review', new Date('2026-09-01'), now)).toThrow('in the future');
    expect(() => checkExceptionTerms('log review', new Date('2028-01-01'), now)).toThrow('at most a year');
    expect(checkExceptionTerms(' log review ', new Date('2026-11-01'), now)).toEqual({ control: 'log review', endsAt: new Date('2026-11-01') });
  });
});

describe('the attestation statement', () => {
  it('counts the items in the default wording, and takes a campaign’s own wording as it is', () => {
    expect(attestationStatement(null, 1)).toBe('I reviewed each of these 1 item, and the decisions reflect current business need.');
    expect(attestationStatement(null, 12)).toBe('I reviewed each of these 12 items, and the decisions reflect current business need.');
    expect(attestationStatement('Our own words.', 12)).toBe('Our own words.');
    expect(normaliseAttestation('  ')).toBeNull();
    expect(normaliseAttestation(' Ours. ')).toBe('Ours.');
    expect(() => normaliseAttestation('x'.repeat(1001))).toThrow('keep it within 1000');
  });
});
