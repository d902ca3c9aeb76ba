import { inArray } from 'drizzle-orm';
import type { KeyObject } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { evidenceEvent } from '../../../db/schema/index.js';
import { checkpointSignatureValid } from '../signing/checkpoint.js';
import { fingerprint } from '../signing/signing-key.js';
import { verifyChain, type ChainReport } from '../verify-chain.js';
import { parseCheckpoint } from './parse-checkpoint.js';

/** One checkpoint as read back from the witness (the compliance channel), not yet trusted. */
export interface WitnessedCheckpoint {
  /** The message's metadata payload, exactly as read. */
  payload: unknown;
  /** ISO time of the message that carried it. */
  witnessedAt: string;
}

/** The port to the witness: every checkpoint message the bot posted there, oldest or newest first. */
export interface CheckpointWitness {
  readCheckpoints(): Promise<WitnessedCheckpoint[]>;
}

/** A head the chain must still have: from a trusted checkpoint, or given by the operator. */
export interface ClaimedHead {
  seq: number;
  hash: string;
  /** When it was witnessed; null for a head given on the command line. */
  witnessedAt: string | null;
}

export interface WitnessMismatch {
  seq: number;
  witnessedAt: string | null;
  expected: string;
  /** The hash stored at `seq` now, or null when that event is gone (a truncated tail). */
  found: string | null;
}

export interface UntrustedCheckpoint {
  seq: number | null;
  witnessedAt: string;
  keyId: string | null;
  reason: string;
}

export interface WitnessReport extends ChainReport {
  witness: {
    /** Trusted heads compared with the database. */
    checked: number;
    /** The highest sequence number a trusted head vouched for (null when none). */
    lastSeq: number | null;
    firstMismatch?: WitnessMismatch;
    /** Checkpoint messages whose signature is not ours: never compared, always reported. */
    untrusted?: UntrustedCheckpoint[];
  };
}

export interface VerifyWitnessInput {
  /**
   * Read the witness and trust what verifies with one of `publicKeys` (chosen by the
   * checkpoint's keyId): after a key rotation, the old public key and the new one.
   */
  witness?: CheckpointWitness;
  publicKeys?: KeyObject[];
  /** Heads trusted as given (`verify --checkpoint SEQ:HASH`). */
  heads?: ClaimedHead[];
}

const LOOKUP_CHUNK = 1000;

/**
 * The chain checked against what was witnessed outside the database. Verifying the links
 * alone cannot see a rewrite with recomputed hashes or a cut-off tail; a head signed earlier
 * and kept in Slack can: the event at its seq must still exist with exactly its hash. A
 * checkpoint message whose signature does not verify is never compared, and is reported:
 * whoever holds the bot token but not the key posted it.
 */
export async function verifyWitness(deps: { db: Db }, input: VerifyWitnessInput): Promise<WitnessReport> {
  const heads = [...(input.heads ?? [])];
  const untrusted: UntrustedCheckpoint[] = [];
  if (input.witness) {
    if (!input.publicKeys?.length) throw new Error('verifyWitness: a witness needs the public key to check it with');
    const sorted = sortWitnessed(await input.witness.readCheckpoints(), input.publicKeys);
    heads.push(...sorted.trusted);
    untrusted.push(...sorted.untrusted);
  }
  const chain = await verifyChain(deps.db);
  const firstMismatch = await findFirstMismatch(deps.db, heads);
  const lastSeq = heads.reduce<number | null>((max, h) => (max === null || h.seq > max ? h.seq : max), null);
  return {
    ...chain,
    ok: chain.ok && !firstMismatch && untrusted.length === 0,
    witness: {
      checked: heads.length,
      lastSeq,
      ...(firstMismatch ? { firstMismatch } : {}),
      ...(untrusted.length > 0 ? { untrusted } : {}),
    },
  };
}

function sortWitnessed(list: WitnessedCheckpoint[], publicKeys: KeyObject[]): { trusted: ClaimedHead[]; untrusted: UntrustedCheckpoint[] } {
  const keys = new Map(publicKeys.map((k) => [fingerprint(k), k]));
  const named = [...keys.keys()];
  const notOurs = (keyId: string) =>
    named.length === 1 ? `signed by key ${keyId}, not the signing key ${named[0]}` : `signed by key ${keyId}, not one of the given keys (${named.join(', ')})`;
  const trusted: ClaimedHead[] = [];
  const untrusted: UntrustedCheckpoint[] = [];
  for (const w of list) {
    const c = parseCheckpoint(w.payload);
    if (!c) {
      const p = (w.payload ?? {}) as { seq?: unknown; keyId?: unknown };
      untrusted.push({ seq: typeof p.seq === 'number' ? p.seq : null, witnessedAt: w.witnessedAt, keyId: typeof p.keyId === 'string' ? p.keyId : null, reason: 'not a well-formed checkpoint' });
    } else if (!keys.has(c.keyId) || !checkpointSignatureValid(keys.get(c.keyId)!, c)) {
      const reason = keys.has(c.keyId) ? 'its signature does not verify with the signing key' : notOurs(c.keyId);
      untrusted.push({ seq: c.seq, witnessedAt: w.witnessedAt, keyId: c.keyId, reason });
    } else {
      trusted.push({ seq: c.seq, hash: c.hash, witnessedAt: w.witnessedAt });
    }
  }
  return { trusted, untrusted: untrusted.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)) };
}

/** The lowest-seq head the database no longer agrees with. */
async function findFirstMismatch(db: Db, heads: ClaimedHead[]): Promise<WitnessMismatch | undefined> {
  const seqs = [...new Set(heads.map((h) => h.seq))];
  const stored = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += LOOKUP_CHUNK) {
    const rows = await db
      .select({ seq: evidenceEvent.seq, hash: evidenceEvent.hash })
      .from(evidenceEvent)
      .where(inArray(evidenceEvent.seq, seqs.slice(i, i + LOOKUP_CHUNK)));
    for (const r of rows) stored.set(r.seq, r.hash);
  }
  const bad = heads
    .filter((h) => stored.get(h.seq) !== h.hash)
    .sort((a, b) => a.seq - b.seq || (a.witnessedAt ?? '').localeCompare(b.witnessedAt ?? ''))[0];
  return bad && { seq: bad.seq, witnessedAt: bad.witnessedAt, expected: bad.hash, found: stored.get(bad.seq) ?? null };
}
