import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Deps } from '../../../deps.js';
import { AppError } from '../../../errors.js';
import { appendEvidence } from '../append-evidence.js';
import { DEFAULT_RUBBER_STAMP, type RubberStampThresholds } from '../findings/types.js';
import { MANIFEST } from './bundle-files.js';
import { generatorName } from './generator.js';
import { checkPeriod, type PeriodInput } from './parse-period.js';
import { resolvePeriod } from './resolve-period.js';
import { writeBundle } from './write-bundle.js';
import { createZipWriter } from './zip-writer.js';

export interface ExportInput {
  period: PeriodInput;
  /** Where the zip goes; its directory must exist. */
  out: string;
  actor: string;
  rubberStamp?: Partial<RubberStampThresholds>;
}

export interface ExportResult {
  file: string;
  sha256: string;
  files: string[];
  bytes: number;
  period: { label: string; from: string; to: string; campaigns: number };
  events: number;
  chainHead: string;
  rows: Record<string, number>;
}

/**
 * Builds the evidence bundle of a period into one zip, then records the export in the evidence
 * log. Everything is read in one read-only, repeatable-read transaction, so the files agree with
 * each other even while reviews and syncs carry on. The `evidence.exported` event is appended
 * afterwards and is not part of the bundle (the bundle's hash is in it).
 */
export async function exportBundle(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input: ExportInput): Promise<ExportResult> {
  checkPeriod(input.period);
  const file = resolve(input.out);
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) {
    throw new AppError('INVALID_INPUT', `Cannot write ${file}: the directory ${dirname(file)} does not exist`, { field: 'out' });
  }
  const generatedAt = deps.clock.now();
  const generator = generatorName();
  const rubberStamp = { ...DEFAULT_RUBBER_STAMP, ...input.rubberStamp };
  const slaHours = deps.config.OFFBOARDING_SLA_HOURS;
  const staleLoginDays = deps.config.STALE_LOGIN_DAYS;

  const built = await deps.db.transaction(
    async (tx) => {
      const period = await resolvePeriod(tx, generatedAt, input.period);
      const parameters = {
        period: input.period,
        label: period.label,
        from: period.from.toISOString(),
        to: period.to.toISOString(),
        asOf: period.asOf.toISOString(),
        campaigns: period.campaigns.map((c) => c.id),
        offboardingSlaHours: slaHours,
        staleLoginDays,
        rubberStamp,
      };
      const zip = createZipWriter(file, generatedAt);
      try {
        const written = await writeBundle(tx, zip, period, { generatedAt, generator, slaHours, staleLoginDays, rubberStamp, parameters });
        const whole = await zip.finish();
        return { period, parameters, written, whole };
      } catch (err) {
        await zip.abort();
        throw err;
      }
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );

  const { period, parameters, written, whole } = built;
  const files = [...written.files.map((f) => f.name), MANIFEST];
  await deps.db.transaction((tx) =>
    appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'evidence.exported',
      subject: { bundle: whole.sha256 },
      payload: { parameters, sha256: whole.sha256, bytes: whole.bytes, file: basename(file), files, chainHead: written.segment.head, events: written.segment.events },
    }),
  );
  return {
    file,
    sha256: whole.sha256,
    files,
    bytes: whole.bytes,
    period: { label: period.label, from: period.from.toISOString(), to: period.to.toISOString(), campaigns: period.campaigns.length },
    events: written.segment.events,
    chainHead: written.segment.head,
    rows: Object.fromEntries(written.summary.rows),
  };
}
