import { Readable } from 'node:stream';
import { asc, between, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';
import { FINDING_COLUMNS, findFindings } from '../findings/find-findings.js';
import type { Finding, RubberStampThresholds } from '../findings/types.js';
import { leavesUndecided } from '../findings/undecided-items.js';
import { ACCESS_REQUEST_COLUMNS, accessRequestRows } from './access-requests.js';
import type { Checkpoint } from '../signing/checkpoint.js';
import { publicKeyPem, type SigningKey } from '../signing/signing-key.js';
import { EVIDENCE, MANIFEST, PUBLIC_KEY } from './bundle-files.js';
import { csvSource, type Column } from './csv-entry.js';
import { csvSpool, type CsvSpool } from './csv-spool.js';
import { decisionColumns, type DecisionRow } from './decisions.js';
import { EXCEPTION_COLUMNS, exceptionRows } from './exceptions.js';
import { SIGNOFF_COLUMNS, signoffRows } from './signoffs.js';
import { loadEscalations } from './escalations.js';
import { findSegment, segmentLines, type SegmentBounds } from './evidence-segment.js';
import { buildManifest } from './manifest.js';
import { POPULATION_COLUMNS, type PopulationRow } from './population.js';
import { RECONCILIATION_COLUMNS, reconciliationRows } from './reconciliation.js';
import { REMEDIATION_COLUMNS, standaloneRemovals, type RemediationRow } from './remediation.js';
import { jsonSpool, type JsonSpool } from './json-spool.js';
import { renderReport } from './render-report.js';
import { readsUndecided, reviewItemReads, type ItemRead } from './review-items.js';
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

  // One read of the review items feeds population.csv, which streams, and decisions.csv, the
  // review part of remediation.csv and the undecided_item findings, which wait on disk
  // (spool-file.ts) for their turn.
  const decisions = await csvSpool(decisionColumns(await loadEscalations(db, segment)));
  const spools: { discard(): Promise<void> }[] = [decisions];
  try {
    const removals = await csvSpool(REMEDIATION_COLUMNS);
    spools.push(removals);
    const undecided = await jsonSpool<Finding>();
    spools.push(undecided);
    const reads = fromReviewItems(reviewItemReads(db, period.campaigns, asOf), summary, { decisions, removals, undecided });
    await csv('population.csv', POPULATION_COLUMNS, reads, (r) => summary.population(r));
    summary.rows.set('decisions.csv', decisions.rows);
    files.push(await zip.add('decisions.csv', await decisions.source()));
    await decisions.discard();
    await csv('signoffs.csv', SIGNOFF_COLUMNS, signoffRows(db, period.campaigns, asOf), (r) => summary.signoff(r));
    // Exceptions are judged open or expired at the instant the bundle stands at, like findings.csv.
    await csv('exceptions.csv', EXCEPTION_COLUMNS, exceptionRows(db, period.campaigns, opts.generatedAt, asOf), (r) => summary.exception(r));
    files.push(await zip.add('remediation.csv', await removals.source(observed(standaloneRemovals(db, period, asOf), (r) => summary.revocation(r)))));
    summary.rows.set('remediation.csv', removals.rows);
    await removals.discard();
    // missedSla reads terminationRows with the finding scope built from this, rowsAsOf included,
    // so the finding and terminations.csv show the same removals.
    const judged = { from: period.from, to: period.to, asOf: period.asOf, slaHours: opts.slaHours, rowsAsOf: asOf };
    await csv('terminations.csv', TERMINATION_COLUMNS, terminationRows(db, judged), (r) => summary.termination(r));
    await csv('access-requests.csv', ACCESS_REQUEST_COLUMNS, accessRequestRows(db, period, asOf), (r) => summary.accessRequest(r));
    // The read above found every closed campaign's undecided items unless one has a window.
    const readAll = period.campaigns.every((c) => !leavesUndecided(c) || readsUndecided(c));
    const findingScope = { ...judged, db, campaigns: period.campaigns, segment, staleLoginDays: opts.staleLoginDays, driftDecisionDays: opts.driftDecisionDays, rubberStamp: opts.rubberStamp, at: opts.generatedAt, ...(readAll ? { undecided: undecided.values() } : {}) };
    await csv('findings.csv', FINDING_COLUMNS, findFindings(findingScope), (f) => summary.finding(f));
  } finally {
    for (const s of spools) await s.discard();
  }
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

interface Spools {
  decisions: CsvSpool<DecisionRow>;
  removals: CsvSpool<RemediationRow>;
  undecided: JsonSpool<Finding>;
}

/** The population rows of `reads`; the rest goes to its spool as it passes, tallied. */
async function* fromReviewItems(reads: AsyncIterable<ItemRead>, summary: BundleSummary, to: Spools): AsyncGenerator<PopulationRow> {
  for await (const r of reads) {
    if ('population' in r) {
      yield r.population;
    } else if ('decision' in r) {
      summary.decision(r.decision);
      await to.decisions.write(r.decision);
    } else if ('removal' in r) {
      summary.revocation(r.removal);
      await to.removals.write(r.removal);
    } else {
      await to.undecided.write(r.undecided);
    }
  }
}

async function* observed<T>(rows: AsyncIterable<T>, observe: (row: T) => void): AsyncGenerator<T> {
  for await (const r of rows) {
    observe(r);
    yield r;
  }
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
