import { describe, expect, it } from 'vitest';
import { checkPeriod, dateRange, quarterRange } from '../../src/domain/evidence/export/parse-period.js';
import { AppError } from '../../src/errors.js';

const iso = (r: { from: Date; to: Date }) => [r.from.toISOString(), r.to.toISOString()];

describe('export periods', () => {
  it('reads a quarter as its three months in UTC, end exclusive', () => {
    expect(iso(quarterRange('2026-Q4'))).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(iso(quarterRange('2027-q1'))).toEqual(['2027-01-01T00:00:00.000Z', '2027-04-01T00:00:00.000Z']);
  });

  it('includes the whole of a bare --to date', () => {
    expect(iso(dateRange('2026-10-01', '2026-12-31'))).toEqual(['2026-10-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    expect(iso(dateRange('2026-10-01T08:00:00+02:00', '2026-10-02T00:00:00Z'))).toEqual(['2026-10-01T06:00:00.000Z', '2026-10-02T00:00:00.000Z']);
  });

  it.each([
    [{ quarter: '2026-Q5' }, 'quarter'],
    [{ quarter: 'Q4 2026' }, 'quarter'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-10-01', to: 'tomorrow' }, 'to'],
    [{ from: '2026-10-01T00:00:00', to: '2026-10-02' }, 'from'],
    [{ from: '2026-12-01', to: '2026-10-01' }, 'to'],
    [{ campaignId: ' ' }, 'campaign'],
  ])('refuses %j as invalid input naming %s', (period, field) => {
    let err: unknown;
    try {
      checkPeriod(period);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', field });
  });
});
