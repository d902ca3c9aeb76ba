import { describe, expect, it } from 'vitest';
import { parseDueDate } from '../../src/domain/reviews/parse-due-date.js';
import { isAppError } from '../../src/errors.js';

const now = new Date('2026-10-01T09:00:00Z');
const parse = (v: string, tz = 'UTC') => parseDueDate(v, { tz, now }).toISOString();

describe('parseDueDate', () => {
  it('reads a bare date as the end of that day in TZ', () => {
    expect(parse('2026-12-31')).toBe('2026-12-31T23:59:59.999Z');
    expect(parse('2026-12-31', 'Europe/Berlin')).toBe('2026-12-31T22:59:59.999Z');
    expect(parse('2026-12-31', 'America/Los_Angeles')).toBe('2027-01-01T07:59:59.999Z');
    expect(parse('2026-10-01', 'Pacific/Kiritimati')).toBe('2026-10-01T09:59:59.999Z'); // UTC+14: still today there
  });

  it('uses the offset in force at the end of that day across a DST change', () => {
    // Europe/Berlin leaves summer time on 2026-10-25: the day ends at UTC+1.
    expect(parse('2026-10-25', 'Europe/Berlin')).toBe('2026-10-25T22:59:59.999Z');
    expect(parse('2026-10-24', 'Europe/Berlin')).toBe('2026-10-24T21:59:59.999Z');
  });

  it('takes an ISO date-time with an offset as is, and one without in TZ', () => {
    expect(parse('2026-12-31T17:00:00Z')).toBe('2026-12-31T17:00:00.000Z');
    expect(parse('2026-12-31T17:00:00+02:00')).toBe('2026-12-31T15:00:00.000Z');
    expect(parse('2026-12-31T17:00:00.250-0530')).toBe('2026-12-31T22:30:00.250Z');
    expect(parse('2026-12-31T17:00', 'Europe/Berlin')).toBe('2026-12-31T16:00:00.000Z');
  });

  it('accepts a Date as it is', () => {
    expect(parseDueDate(new Date('2027-01-01T00:00:00Z'), { tz: 'UTC', now }).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it.each([['2026-09-30'], ['2026-10-01T08:59:59Z'], ['2020-01-01T00:00:00Z']])('refuses %s as in the past', (v) => {
    expect(() => parse(v)).toThrow(/in the past/);
  });

  it.each([['tomorrow'], ['2026-02-30'], ['2026-13-01'], ['31/12/2026'], ['2026-12-31T25:00:00Z'], ['']])('refuses %j as not a date', (v) => {
    try {
      parse(v);
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err, 'INVALID_INPUT')).toBe(true);
      expect((err as Error).message).toMatch(/is not a due date/);
    }
  });
});
