import { describe, expect, it } from 'vitest';
import { buildExportComment } from '../../src/slack/views/export-messages.js';

const bundle = {
  fileName: 'attest-2026-Q4.zip',
  sha256: 'ab'.repeat(32),
  files: ['decisions.csv', 'manifest.json'],
  period: { label: '2026-Q4', from: '2026-10-01', to: '2027-01-01', campaigns: 1 },
};

describe('the comment on an uploaded bundle', () => {
  it('tells the auditor to check a signed bundle against the key fingerprint', () => {
    const comment = buildExportComment({ ...bundle, keyId: 'cd'.repeat(32) });
    expect(comment).toContain(`Signed by key \`${'cd'.repeat(32)}\``);
    expect(comment).toContain(`\`attest verify --bundle attest-2026-Q4.zip --fingerprint ${'cd'.repeat(32)}\``);
  });

  it('says plainly when the bundle is unsigned', () => {
    const comment = buildExportComment(bundle);
    expect(comment).toMatch(/^Unsigned \(no ATTEST_SIGNING_KEY\)\. To verify: `attest verify --bundle attest-2026-Q4\.zip`/m);
    expect(comment).not.toContain('--fingerprint');
  });
});
