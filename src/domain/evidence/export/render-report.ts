import type { Checkpoint } from '../signing/checkpoint.js';
import type { ExportPeriod } from './resolve-period.js';
import type { ReconciliationRow } from './reconciliation.js';
import type { SegmentBounds } from './evidence-segment.js';
import type { BundleSummary } from './summary.js';
import { STYLE, esc, when } from './html.js';
import { renderCompletion, renderReviewers, renderScope, renderTimeline } from './report-reviews.js';
import { renderExceptions, renderSignoffs } from './report-depth.js';
import { renderFindings, renderLeavers, renderRevocations } from './report-removals.js';
import { renderFiles, renderIntegrity } from './report-integrity.js';
import { renderControls } from './report-controls.js';
import type { ControlFigures } from '../../controls/types.js';

export interface ReportInput {
  generatedAt: Date;
  generator: string;
  period: ExportPeriod;
  summary: BundleSummary;
  reconciliation: ReconciliationRow[];
  segment: SegmentBounds;
  /** Evidence events of the period by action. */
  actions: { action: string; count: number }[];
  /** Files written before the report, with sizes. */
  files: { name: string; bytes: number }[];
  slaHours: number;
  staleLoginDays: number;
  /** The zip's file name, for the verify command the report spells out. */
  fileName?: string;
  /** A signed bundle: the key's fingerprint and the checkpoint in manifest.json (if any). */
  signing?: { keyId: string; checkpoint: Checkpoint | null } | null;
  /** The control digest's figures for the period (absent: no section). */
  controls?: ControlFigures | null;
}

/** report.html: one self-contained page (inline CSS, no scripts, no external assets). */
export function renderReport(input: ReportInput): string {
  const { period } = input;
  const sections = [
    renderScope(input),
    renderCompletion(input),
    renderTimeline(input),
    renderReviewers(input),
    renderSignoffs(input),
    renderExceptions(input),
    renderRevocations(input),
    renderLeavers(input),
    renderFindings(input),
    renderControls(input.controls),
    renderFiles(input),
    renderIntegrity(input),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Access review evidence — ${esc(period.label)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Access review evidence — ${esc(period.label)}</h1>
<p class="meta">Period ${esc(when(period.from))} to ${esc(when(period.to))} (end exclusive) · generated ${esc(when(input.generatedAt))} by ${esc(input.generator)}</p>
${sections.join('\n')}
</main>
</body>
</html>
`;
}
