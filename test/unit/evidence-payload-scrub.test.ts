import { describe, expect, it } from 'vitest';
import { normalisePayload } from '../../src/domain/evidence/canonical.js';

describe('evidence payload scrubbing', () => {
  it('redacts credential-like keys at every depth, signatures included', () => {
    const out = normalisePayload(
      { token: 'xoxb-1', signature: 'v1=abc', nested: { client_secret: 's', Authorization: 'Bearer x', signature: 't=1,v1=f' }, note: 'kept' },
      'hooks.hr.received',
    );
    expect(out).toEqual({
      token: '[redacted]',
      signature: '[redacted]',
      nested: { client_secret: '[redacted]', Authorization: '[redacted]', signature: '[redacted]' },
      note: 'kept',
    });
    expect(normalisePayload({ signature: 'x' })).toEqual({ signature: '[redacted]' });
  });

  it("keeps a checkpoint's own top-level signature, and nothing else it carries that looks secret", () => {
    const out = normalisePayload(
      { seq: 7, hash: 'a'.repeat(64), at: new Date('2026-10-01T09:00:00Z'), keyId: 'f'.repeat(64), signature: 'c2lnbmF0dXJl', token: 'xoxb-1', extra: { signature: 'nested' } },
      'evidence.checkpoint',
    );
    expect(out).toEqual({
      seq: 7,
      hash: 'a'.repeat(64),
      at: '2026-10-01T09:00:00.000Z',
      keyId: 'f'.repeat(64),
      signature: 'c2lnbmF0dXJl',
      token: '[redacted]',
      extra: { signature: '[redacted]' },
    });
  });
});
