import { basename } from 'node:path';
import type { Clock } from '../../../clock.js';
import type { Db } from '../../../db/client.js';
import type { RubberStampThresholds } from '../findings/types.js';
import type { SigningKey } from '../signing/signing-key.js';
import { generatorName } from './generator.js';
import type { PeriodInput } from './parse-period.js';
import { resolvePeriod, type ExportPeriod } from './resolve-period.js';
import { fixSnapshot } from './snapshot.js';
import { writeBundle, type WrittenBundle } from './write-bundle.js';
import { createZipWriter } from './zip-writer.js';

export interface BuildOptions {
  /** Absolute path of the zip. */
  file: string;
  period: PeriodInput;
  clock: Clock;
  /** Read in short statements bounded by the snapshot (PGlite), not in one transaction. */
  chunked: boolean;
  slaHours: number;
  staleLoginDays: number;
  /** DRIFT_DECISION_DAYS: unapproved access left undecided this long is a finding. */
  driftDecisionDays: number;
  rubberStamp: RubberStampThresholds;
  signingKey: SigningKey | null;
}

export interface BuiltBundle {
  period: ExportPeriod;
  parameters: Record<string, unknown>;
  written: WrittenBundle;
  whole: { sha256: string; bytes: number };
}

/**
 * Fixes what the bundle shows (fixSnapshot), resolves the period as of then, and writes the zip;
 * a failure leaves no file behind. `db` is the transaction on Postgres, the database on PGlite.
 */
export async function buildBundle(db: Db, o: BuildOptions): Promise<BuiltBundle> {
  const snapshot = await fixSnapshot(db, o.clock, o.chunked);
  const generatedAt = snapshot.at;
  const period = await resolvePeriod(db, generatedAt, o.period, snapshot.rowsAsOf);
  const parameters = {
    period: o.period,
    label: period.label,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    asOf: period.asOf.toISOString(),
    campaigns: period.campaigns.map((c) => c.id),
    offboardingSlaHours: o.slaHours,
    staleLoginDays: o.staleLoginDays,
    driftDecisionDays: o.driftDecisionDays,
    rubberStamp: o.rubberStamp,
  };
  const zip = createZipWriter(o.file, generatedAt);
  try {
    const opts = { generatedAt, generator: generatorName(), slaHours: o.slaHours, staleLoginDays: o.staleLoginDays, driftDecisionDays: o.driftDecisionDays, rubberStamp: o.rubberStamp, parameters, snapshot };
    const written = await writeBundle(db, zip, period, { ...opts, fileName: basename(o.file), signingKey: o.signingKey });
    const whole = await zip.finish();
    return { period, parameters, written, whole };
  } catch (err) {
    await zip.abort();
    throw err;
  }
}
