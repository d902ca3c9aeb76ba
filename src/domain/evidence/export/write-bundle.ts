import { Readable } from 'node:stream';
import { asc, between, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';
import { FINDING_COLUMNS, findFindings } from '../findings/find-findings.js';
import type { RubberStampThresholds } from '../findings/types.js';
import { ACCESS_REQUEST_COLUMNS, accessRequestRows } from './access-requests.js';
import type { Checkpoint } from '../signing/checkpoint.js';
import { publicKeyPem, type SigningKey } from '../signing/signing-key.js';
import { EVIDENCE, MANIFEST, PUBLIC_KEY } from './bundle-files.js';
import { csvSource, type Column } from './csv-entry.js';
import { decisionColumns, decisionRows } from './decisions.js';
import { EXCEPTION_COLUMNS, exceptionRows } from './exceptions.js';
import { SIGNOFF_COLUMNS, signoffRows } from './signoffs.js';
import { loadEscalations } from './escalations.js';
import { findSegment, segmentLines, type SegmentBounds } from './evidence-segment.js';
import { buildManifest } from './manifest.js';
import { POPULATION_COLUMNS, populationRows } from './population.js';
import { RECONCILIATION_COLUMNS, reconciliationRows } from './reconciliation.js';
import { REMEDIATION_COLUMNS, remediationRows } from './remediation.js';
import { renderReport } from './render-report.js';
import { computeControlFigures } from '../../controls/compute-control-figures.js';
import { findSegmentCheckpoint } from './segment-checkpoint.js';
import type { ExportPeriod } from './resolve-period.js';
import type { ExportSnapshot } from './snapshot.js';
import { BundleSummary } from './summary.js';
import { TERMINATION_COLUMNS, terminationRows } from './terminations.js';
import type { ManifestFile, ZipWriter } from './zip-writer.js';

export interface BundleOptions {
  generatedAt: Date;
  generator: string;
  slaHours: number;
  staleLoginDays: number;
  /** DRIFT_DECISION_DAYS, for the unapproved_access finding. */
  driftDecisionDays: number;
  rubberStamp: RubberStampThresholds;
  parameters: Record<string, unknown>;
  snapshot: ExportSnapshot;
  /** The zip's file name (for the verify command in the report). */
  fileName: string;
  /** Signs manifest.json and adds public-key.pem; absent: the bundle is unsigned. */
  signingKey?: SigningKey | null;
}

export interface WrittenBundle {
  files: ManifestFile[];
  segment: SegmentBounds;
  summary: BundleSummary;
  /** The checkpoint in a signed manifest (null when unsigned or none falls in the segment). */
  checkpoint: Checkpoint | null;
}

/**
 * Writes every file of the bundle, in order, into `zip`. The data files stream first; the
 * report is rendered from what they tallied; the manifest comes last because it lists them all.
 */
export async function writeBundle(db: Db, zip: ZipWriter, period: ExportPeriod, opts: BundleOptions): Promise<WrittenBundle> {
  const summary = new BundleSummary();
  const files: ManifestFile[] = [];
  const asOf = opts.snapshot.rowsAsOf;
  const segment = await findSegment(db, period.from, period.to, opts.snapshot.lastSeq);
  const csv = async <T>(name: string, columns: Column<T>[], rows: AsyncIterable<T>, observe?: (row: T) => void) => {
    const { source, writer } = csvSource(columns, summary.tap(name, rows, observe));
    files.push(await zip.add(name, source, writer));
  };

  await csv('population.csv', POPULATION_COLUMNS, populationRows(db, period.campaigns, asOf), (r) => summary.population(r));
  await csv('decisions.csv', decisionColumns(await loadEscalations(db, segment)), decisionRows(db, period.campaigns, asOf), (r) => summary.decision(r));
  await csv('signoffs.csv', SIGNOFF_COLUMNS, signoffRows(db, period.campaigns, asOf), (r) => summary.signoff(r));
  // Exceptions are judged open or expired at the instant the bundle stands at, like findings.csv.
  await csv('exceptions.csv', EXCEPTION_COLUMNS, exceptionRows(db, period.campaigns, opts.generatedAt, asOf), (r) => summary.exception(r));
  await csv('remediation.csv', REMEDIATION_COLUMNS, remediationRows(db, period.campaigns, period, asOf), (r) => summary.revocation(r));
  // missedSla reads terminationRows with the finding scope built from this, rowsAsOf included,
  // so the finding and terminations.csv show the same removals.
  const judged = { from: period.from, to: period.to, asOf: period.asOf, slaHours: opts.slaHours, rowsAsOf: asOf };
  await csv('terminations.csv', TERMINATION_COLUMNS, terminationRows(db, judged), (r) => summary.termination(r));
  await csv('access-requests.csv', ACCESS_REQUEST_COLUMNS, accessRequestRows(db, period, asOf), (r) => summary.accessRequest(r));
  const findingScope = { ...judged, db, campaigns: period.campaigns, segment, staleLoginDays: opts.staleLoginDays, driftDecisionDays: opts.driftDecisionDays, rubberStamp: opts.rubberStamp, at: opts.generatedAt };
  await csv('findings.csv', FINDING_COLUMNS, findFindings(findingScope), (f) => summary.finding(f));
  const reconciliation = await reconciliationRows(db, period.campaigns);
  await csv('reconciliation.csv', RECONCILIATION_COLUMNS, Readable.from(reconciliation));
  files.push(await zip.add(EVIDENCE, Readable.from(segmentLines(db, segment, period))));
  const key = opts.signingKey ?? null;
  const checkpoint = key ? await findSegmentCheckpoint(db, segment, key.keyId) : null;
  // For convenience only: it is trusted once its fingerprint matches the one the auditor holds.
  if (key) files.push(zip.addBuffer(PUBLIC_KEY, Buffer.from(publicKeyPem(key.publicKey), 'utf8')));

  const html = renderReport({
    generatedAt: opts.generatedAt,
    generator: opts.generator,
    period,
    summary,
    reconciliation,
    segment,
    actions: await countActions(db, segment),
    files: [...files],
    slaHours: opts.slaHours,
    staleLoginDays: opts.staleLoginDays,
    fileName: opts.fileName,
    signing: key ? { keyId: key.keyId, checkpoint } : null,
    // Judged at the instant findings are: the period's end, or now if it has not ended.
    controls: await computeControlFigures(db, { from: period.from, to: period.asOf, slaHours: opts.slaHours }),
  });
  files.push(zip.addBuffer('report.html', Buffer.from(html, 'utf8')));
  const signing = key ? { key, checkpoint } : null;
  zip.addBuffer(MANIFEST, buildManifest({ files, chainHead: segment.head, generatedAt: opts.generatedAt, generator: opts.generator, parameters: opts.parameters, signing }));
  return { files, segment, summary, checkpoint };
}

async function countActions(db: Db, segment: SegmentBounds): Promise<{ action: string; count: number }[]> {
  if (segment.events === 0) return [];
  const rows = await db
    .select({ action: evidenceEvent.action, count: sql<number>`count(*)::int` })
    .from(evidenceEvent)
    .where(between(evidenceEvent.seq, segment.firstSeq, segment.lastSeq))
    .groupBy(evidenceEvent.action)
    .orderBy(asc(evidenceEvent.action));
  return rows.map((r) => ({ action: r.action, count: Number(r.count) }));
}
