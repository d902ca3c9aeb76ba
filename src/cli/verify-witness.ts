import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { configuredSigningKey } from '../domain/evidence/checkpoint/configured-signing-key.js';
import { verifyWitness, type ClaimedHead, type WitnessReport } from '../domain/evidence/checkpoint/verify-witness.js';
import { parsePublicKey } from '../domain/evidence/signing/signing-key.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';
import { INTERACTIVE_RETRIES, slackClientOptions } from '../slack/client-options.js';
import { slackCheckpointWitness } from '../slack/read-checkpoints.js';
import { printJson, printLines } from './output.js';
import { withRuntime } from './runtime.js';

export interface WitnessFlags {
  witness?: boolean;
  checkpoint?: string;
  /** Every --public-key given (several after a key rotation). */
  publicKey?: string[];
  json?: boolean;
}

const HEAD = /^(\d+):([0-9a-fA-F]{64})$/;

/** `attest verify --witness` and `--checkpoint SEQ:HASH`: the chain, and the heads it must still have. */
export async function checkWitness(flags: WitnessFlags): Promise<void> {
  // Checked before the database is opened: a typo answers at once.
  const heads = flags.checkpoint === undefined ? [] : [parseHead(flags.checkpoint)];
  const report = await withRuntime(async (rt) => {
    const witness = flags.witness ? slackCheckpointWitness(slackClient(rt.config, rt.deps.logger), requireChannel(rt.config)) : undefined;
    const publicKeys = flags.witness ? await witnessKeys(rt.config, flags.publicKey ?? []) : undefined;
    return verifyWitness(rt.deps, { heads, ...(witness ? { witness } : {}), ...(publicKeys ? { publicKeys } : {}) });
  });
  if (flags.json) printJson(report);
  else if (report.ok) printLines(describe(report));
  if (!report.ok) throw new AppError('INTEGRITY', problems(report).join('; '));
}

function parseHead(value: string): ClaimedHead {
  const m = HEAD.exec(value.trim());
  const seq = m ? Number(m[1]) : NaN;
  if (!m || !Number.isSafeInteger(seq) || seq < 1) {
    throw new AppError('INVALID_INPUT', `--checkpoint takes SEQ:HASH, an event number and its 64-hex-digit hash, such as 42:${'0f'.repeat(32)} (got "${value}")`, { field: 'checkpoint' });
  }
  return { seq, hash: m[2]!.toLowerCase(), witnessedAt: null };
}

function slackClient(config: Config, logger: Logger): WebClient {
  if (!config.SLACK_BOT_TOKEN) {
    throw new AppError('CONFIG', `verify --witness reads the checkpoints from Slack: set SLACK_BOT_TOKEN (and COMPLIANCE_CHANNEL${config.COMPLIANCE_CHANNEL ? `, now ${config.COMPLIANCE_CHANNEL}` : ''})`);
  }
  return new WebClient(config.SLACK_BOT_TOKEN, slackClientOptions({ apiUrl: config.SLACK_API_URL, retryConfig: INTERACTIVE_RETRIES }, logger));
}

function requireChannel(config: Config): string {
  if (!config.COMPLIANCE_CHANNEL) throw new AppError('CONFIG', 'verify --witness reads the checkpoints posted to COMPLIANCE_CHANNEL: set it to the channel id (C…)');
  return config.COMPLIANCE_CHANNEL;
}

/**
 * The keys the checkpoints must verify with: each --public-key (the old and the new one after a
 * rotation), else the public half of ATTEST_SIGNING_KEY.
 */
async function witnessKeys(config: Config, files: string[]): Promise<KeyObject[]> {
  if (files.length > 0) {
    return Promise.all(
      files.map(async (file) => {
        try {
          return parsePublicKey(await readFile(file));
        } catch (err) {
          throw new AppError('INVALID_INPUT', `--public-key ${file}: ${(err as Error).message}`, { field: 'public-key', cause: err });
        }
      }),
    );
  }
  const key = await configuredSigningKey(config, false);
  if (!key) throw new AppError('CONFIG', 'verify --witness needs the key the checkpoints were signed with: set ATTEST_SIGNING_KEY, or pass --public-key FILE');
  return [key.publicKey];
}

function problems(r: WitnessReport): string[] {
  const out: string[] = [];
  const m = r.witness.firstMismatch;
  if (m) {
    const when = m.witnessedAt ? `witnessed at ${m.witnessedAt}` : 'given';
    out.push(`Evidence event ${m.seq} does not match its checkpoint (${when}): expected ${m.expected}, ${m.found === null ? 'the event is gone' : `found ${m.found}`}`);
  }
  if (r.firstBad !== undefined) out.push(`Evidence chain broken at event ${r.firstBad}: ${r.reason ?? 'bad link'}`);
  for (const u of r.witness.untrusted ?? []) out.push(`Checkpoint message for event ${u.seq ?? '?'} posted at ${u.witnessedAt} is not trusted: ${u.reason}`);
  return out;
}

function describe(r: WitnessReport): string {
  const upTo = r.witness.lastSeq === null ? 'no checkpoint found to compare with' : `${r.witness.checked} checkpoint(s) agree, up to event ${r.witness.lastSeq}`;
  return `Evidence chain intact: ${r.events} events, head ${r.head}; ${upTo}`;
}
