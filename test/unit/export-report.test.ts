import { describe, expect, it } from 'vitest';
import { renderReport, type ReportInput } from '../../src/domain/evidence/export/render-report.js';
import { BundleSummary, percentile } from '../../src/domain/evidence/export/summary.js';
import { BUNDLE_FILES } from '../../src/domain/evidence/export/bundle-files.js';
import type { Campaign } from '../../src/db/schema/index.js';

const campaign = { id: 'c1', name: '<script>alert(1)</script>', status: 'launched', createdAt: new Date('2026-10-01T00:00:00Z'), launchedAt: new Date('2026-10-01T01:00:00Z'), dueAt: new Date('2026-10-31T00:00:00Z'), closedAt: null } as unknown as Campaign;

function input(summary = new BundleSummary()): ReportInput {
  return {
    generatedAt: new Date('2026-11-01T00:00:00Z'),
    generator: 'attest 0.1.0',
    period: { kind: 'campaign', label: 'campaign "<b>x</b>"', from: campaign.createdAt, to: new Date('2026-11-01T00:00:00Z'), asOf: new Date('2026-11-01T00:00:00Z'), campaigns: [campaign] },
    summary,
    reconciliation: [],
    segment: { prevHash: '0'.repeat(64), firstSeq: 1, lastSeq: 0, events: 0, head: '0'.repeat(64) },
    actions: [],
    files: [],
    slaHours: 24,
    staleLoginDays: 90,
  };
}

describe('report.html', () => {
  it('escapes every piece of data', () => {
    const html = renderReport(input());
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('maps every bundle file to what it shows, and says it is not CC6.4', () => {
    const html = renderReport(input());
    for (const f of BUNDLE_FILES) expect(html).toContain(`>${f.name}<`);
    expect(html).toMatch(/not<\/strong> evidence for CC6\.4/);
  });

  it('shows an empty period plainly rather than failing', () => {
    const html = renderReport({ ...input(), period: { ...input().period, campaigns: [] } });
    expect(html).toContain('No campaign was launched in this period.');
    expect(html).toContain('No leavers in this period.');
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 100], 0.95)).toBe(100);
  });
});
