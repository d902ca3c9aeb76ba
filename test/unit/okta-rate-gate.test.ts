import { describe, expect, it } from 'vitest';
import { RateGate, bucketKey } from '../../src/connectors/okta/rate-gate.js';

const headers = (h: Record<string, string>) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });

describe('RateGate', () => {
  it('lets requests go until the announced remainder reaches the reserve, then waits for the reset', () => {
    let now = 10_000_000;
    const gate = new RateGate(() => now);
    gate.started('users');
    // Server clock: Date 10,000 s, reset at 10,030 s: 30 s to go, whatever the local clock says.
    const announce = (remaining: number) =>
      headers({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': '10030', date: new Date(10_000_000).toUTCString() });
    gate.finished('users', announce(50), now);
    expect(gate.delay('users')).toBe(0);
    gate.started('users');
    gate.finished('users', announce(10), now);
    expect(gate.delay('users')).toBe(30_000);
    now += 30_000;
    expect(gate.delay('users')).toBe(0);
  });

  it('counts requests still in flight against the remainder', () => {
    const now = 5_000_000;
    const gate = new RateGate(() => now);
    for (let i = 0; i < 6; i += 1) gate.started('apps/*');
    gate.finished('apps/*', headers({ 'x-rate-limit-limit': '20', 'x-rate-limit-remaining': '7', 'x-rate-limit-reset': '5060' }), now);
    // 7 left, 5 still in flight: 2 left, the reserve of a 20 budget.
    expect(gate.delay('apps/*')).toBeGreaterThan(0);
  });

  it('after a 429 holds the family until the reset even without a remainder header', () => {
    const now = 1_000_000;
    const gate = new RateGate(() => now);
    gate.started('groups');
    gate.finished('groups', headers({ 'x-rate-limit-reset': '1002', date: new Date(1_000_000).toUTCString() }), now, true);
    expect(gate.delay('groups')).toBe(2000);
    expect(gate.delay('users')).toBe(0);
  });

  it('keys families by first path segment, lists apart from items', () => {
    expect(bucketKey('https://x.okta.com/api/v1/users?limit=200')).toBe('users');
    expect(bucketKey('https://x.okta.com/api/v1/users/00u1/roles')).toBe('users/*');
    expect(bucketKey('http://127.0.0.1:1/api/v1/apps/0oa1/users')).toBe('apps/*');
    expect(bucketKey('http://127.0.0.1:1/oauth2/v1/token')).toBe('/oauth2/v1/token');
  });
});
