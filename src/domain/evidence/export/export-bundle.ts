import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Deps } from '../../../deps.js';
import { AppError } from '../../../errors.js';
import { appendEvidence } from '../append-evidence.js';
import { configuredSigningKey } from '../checkpoint/configured-signing-key.js';
import { writeCheckpoint } from '../checkpoint/write-checkpoint.js';
import { DEFAULT_RUBBER_STAMP, type RubberStampThresholds } from '../findings/types.js';
import type { SigningKey } from '../signing/signing-key.js';
import { buildBundle, type BuildOptions } from './build-bundle.js';
import { MANIFEST } from './bundle-files.js';
import { checkPeriod, type PeriodInput } from './parse-period.js';
import { readsInChunks } from './snapshot.js';

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
  /** Signed bundles only: the signing key's fingerprint, and the checkpoint in the manifest. */
  keyId?: string;
  checkpoint?: { seq: number; hash: string };
}

export interface ExportDeps extends Pick<Deps, 'db' | 'clock' | 'config'> {
  /** `serve` loads the key once at start; without it the key is read from ATTEST_SIGNING_KEY. */
  signingKey?: SigningKey | null;
}

/**
 * Builds the evidence bundle of a period into one zip, then records the export in the evidence
 * log. With a signing key, a checkpoint of the chain head is written first, so that a bundle of
 * a period still running carries it in its segment, and manifest.json is signed. What the bundle
 * shows is then fixed (fixSnapshot), so the files agree with each other even while reviews and
 * syncs carry on. The `evidence.exported` event is appended afterwards and is not part of the
 * bundle (the bundle's hash is in it).
 */
export async function exportBundle(deps: ExportDeps, input: ExportInput): Promise<ExportResult> {
  checkPeriod(input.period);
  const file = resolve(input.out);
  if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) {
    throw new AppError('INVALID_INPUT', `Cannot write ${file}: the directory ${dirname(file)} does not exist`, { field: 'out' });
  }
  const signingKey = deps.signingKey ?? (await configuredSigningKey(deps.config, false));
  if (signingKey) await writeCheckpoint({ ...deps, signingKey }, { actor: input.actor, force: true });
  const chunked = readsInChunks(deps.db);
  const options: BuildOptions = {
    file,
    period: input.period,
    clock: deps.clock,
    chunked,
    slaHours: deps.config.OFFBOARDING_SLA_HOURS,
    staleLoginDays: deps.config.STALE_LOGIN_DAYS,
    // As `attest findings` reads it (current-findings.ts), so the bundle and the command agree.
    driftDecisionDays: deps.config.DRIFT_DECISION_DAYS,
    rubberStamp: { ...DEFAULT_RUBBER_STAMP, ...input.rubberStamp },
    signingKey,
  };
  // Postgres: one read-only repeatable-read transaction is one snapshot for every file, and it
  // holds one pooled connection without blocking anyone (readers never block writers), so the
  // rest of the app keeps answering. PGlite has a single connection behind a lock that a
  // transaction holds to its end: a quarter built in one would stall every Slack click, webhook
  // and /readyz for seconds. There the bundle is read in short statements (keyset pages),
  // bounded by the snapshot fixed first, and other work runs between them.
  const { period, parameters, written, whole } = chunked
    ? await buildBundle(deps.db, options)
    : await deps.db.transaction((tx) => buildBundle(tx, options), { isolationLevel: 'repeatable read', accessMode: 'read only' });

  const files = [...written.files.map((f) => f.name), MANIFEST];
  await deps.db.transaction((tx) =>
    appendEvidence(tx, deps.clock, {
      actor: input.actor,
      action: 'evidence.exported',
      subject: { bundle: whole.sha256 },
      payload: { parameters, sha256: whole.sha256, bytes: whole.bytes, file: basename(file), files, chainHead: written.segment.head, events: written.segment.events, ...(signingKey ? { keyId: signingKey.keyId } : {}) },
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
    ...(signingKey ? { keyId: signingKey.keyId } : {}),
    ...(written.checkpoint ? { checkpoint: { seq: written.checkpoint.seq, hash: written.checkpoint.hash } } : {}),
  };
}
