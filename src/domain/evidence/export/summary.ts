import type { Finding } from '../findings/types.js';
import type { DecisionRow } from './decisions.js';
import type { ExceptionRow } from './exceptions.js';
import type { SignoffRow } from './signoffs.js';
import { hoursToVerified, type RemediationRow } from './remediation.js';
import type { TerminationRow } from './terminations.js';

export interface CampaignTally {
  items: number;
  approved: number;
  revoked: number;
  /** Kept as an exception (first level). */
  kept: number;
  pending: number;
  /** Second-level decisions (the resource owner's), each counted once. */
  second: { items: number; approved: number; revoked: number; pending: number };
  fallbacks: number;
  delegated: number;
  firstDecisionAt: Date | null;
  lastDecisionAt: Date | null;
}

export interface ReviewerTally {
  name: string | null;
  email: string;
  items: number;
  decided: number;
  standIn: number;
}

export interface LeaverTally {
  caseId: string;
  name: string | null;
  email: string | null;
  effectiveAt: Date;
  deadline: Date;
  removals: number;
  open: number;
  missed: number;
  lastRemovedAt: Date | null;
}

export interface SignoffTally {
  campaign: string;
  name: string | null;
  email: string | null;
  items: number;
  decided: number;
  signedAt: Date | null;
}

/** Distinct fallback reasons kept for the report; reasons quoting an email are nearly unique. */
const MAX_REASONS = 25;
const SAMPLES_PER_TYPE = 5;
/** Sign-offs and exceptions listed on the page; the rest are in their CSVs. */
const LISTED = 30;

/**
 * What report.html says, tallied from the very rows written to the CSVs as they stream past,
 * so the page and the files cannot disagree. Memory grows with reviewers, leavers and
 * revocations (a number each), never with items.
 */
export class BundleSummary {
  readonly rows = new Map<string, number>();
  readonly campaigns = new Map<string, CampaignTally>();
  readonly reviewers = new Map<string, ReviewerTally>();
  readonly fallbackReasons = new Map<string, number>();
  readonly systems = new Map<string, number>();
  readonly leavers = new Map<string, LeaverTally>();
  readonly findings = new Map<string, { severity: string; count: number; samples: Finding[] }>();
  readonly accessRequests = new Map<string, number>();
  readonly remediation = { total: 0, carriedOut: 0, verified: 0, hours: [] as number[] };
  readonly signoffs = { reviewers: 0, signed: 0, unsignedDone: 0, listed: [] as SignoffTally[] };
  readonly exceptions = { open: 0, expired: 0, listed: [] as ExceptionRow[] };
  privileged = 0;

  /** Passes rows through unchanged, counting them for `file` and observing each. */
  async *tap<T>(file: string, rows: AsyncIterable<T>, observe?: (row: T) => void): AsyncGenerator<T> {
    let n = this.rows.get(file) ?? 0;
    for await (const row of rows) {
      n += 1;
      observe?.(row);
      yield row;
    }
    this.rows.set(file, n);
  }

  population(r: { campaign: { id: string }; snapshot: { system: string; privileged: boolean } }): void {
    this.systems.set(r.snapshot.system, (this.systems.get(r.snapshot.system) ?? 0) + 1);
    if (r.snapshot.privileged) this.privileged += 1;
  }

  decision(r: DecisionRow): void {
    const c = this.campaigns.get(r.campaign.id) ?? {
      items: 0, approved: 0, revoked: 0, kept: 0, pending: 0, second: { items: 0, approved: 0, revoked: 0, pending: 0 }, fallbacks: 0, delegated: 0, firstDecisionAt: null, lastDecisionAt: null,
    };
    if (r.level === 2) {
      c.second.items += 1;
      if (r.decision === 'approved') c.second.approved += 1;
      else if (r.decision === 'revoked') c.second.revoked += 1;
      else c.second.pending += 1;
    } else {
      c.items += 1;
      if (r.decision === 'approved') c.approved += 1;
      else if (r.decision === 'revoked') c.revoked += 1;
      else if (r.decision === 'kept') c.kept += 1;
      else c.pending += 1;
    }
    if (r.fallbackReason) c.fallbacks += 1;
    if (r.delegatedFrom) c.delegated += 1;
    if (r.decidedAt) {
      if (!c.firstDecisionAt || r.decidedAt < c.firstDecisionAt) c.firstDecisionAt = r.decidedAt;
      if (!c.lastDecisionAt || r.decidedAt > c.lastDecisionAt) c.lastDecisionAt = r.decidedAt;
    }
    this.campaigns.set(r.campaign.id, c);
    const key = r.assigned.email ?? 'unknown';
    const rv = this.reviewers.get(key) ?? { name: r.assigned.name, email: key, items: 0, decided: 0, standIn: 0 };
    rv.items += 1;
    if (r.decision !== 'pending') rv.decided += 1;
    if (r.fallbackReason) rv.standIn += 1;
    this.reviewers.set(key, rv);
    if (r.fallbackReason) {
      const reason = this.fallbackReasons.has(r.fallbackReason) || this.fallbackReasons.size < MAX_REASONS ? r.fallbackReason : 'other reasons';
      this.fallbackReasons.set(reason, (this.fallbackReasons.get(reason) ?? 0) + 1);
    }
  }

  signoff(r: SignoffRow): void {
    // A reviewer who signed again has a row per sign-off: counted once, by their latest, which
    // signs the review as a whole only when it covers every item.
    if (!r.latest) return;
    this.signoffs.reviewers += 1;
    if (r.covered) this.signoffs.signed += 1;
    else if (r.items > 0 && r.decided === r.items) this.signoffs.unsignedDone += 1;
    // Unsigned first: they are what a reader of the page looks for.
    const t = { campaign: r.campaign.name, name: r.name, email: r.email, items: r.items, decided: r.decided, signedAt: r.covered ? r.signedAt : null };
    if (this.signoffs.listed.length < LISTED) this.signoffs.listed.push(t);
    else if (!t.signedAt) {
      const i = this.signoffs.listed.findIndex((x) => x.signedAt);
      if (i >= 0) this.signoffs.listed[i] = t;
    }
  }

  exception(r: ExceptionRow): void {
    if (r.status === 'expired') this.exceptions.expired += 1;
    else this.exceptions.open += 1;
    if (this.exceptions.listed.length < LISTED) this.exceptions.listed.push(r);
  }

  revocation(r: RemediationRow): void {
    this.remediation.total += 1;
    if (r.doneAt) this.remediation.carriedOut += 1;
    const h = hoursToVerified(r);
    if (h !== null) {
      this.remediation.verified += 1;
      this.remediation.hours.push(h);
    }
  }

  termination(r: TerminationRow): void {
    const l = this.leavers.get(r.caseId) ?? { caseId: r.caseId, name: r.personName, email: r.personEmail, effectiveAt: r.effectiveAt, deadline: r.deadline, removals: 0, open: 0, missed: 0, lastRemovedAt: null };
    if (r.requestId) l.removals += 1;
    if (!r.removedAt) l.open += 1;
    if (r.slaMet === false) l.missed += 1;
    if (r.deadline > l.deadline) l.deadline = r.deadline;
    if (r.removedAt && (!l.lastRemovedAt || r.removedAt > l.lastRemovedAt)) l.lastRemovedAt = r.removedAt;
    this.leavers.set(r.caseId, l);
  }

  accessRequest(r: { status: string }): void {
    this.accessRequests.set(r.status, (this.accessRequests.get(r.status) ?? 0) + 1);
  }

  finding(f: Finding): void {
    const t = this.findings.get(f.type) ?? { severity: f.severity, count: 0, samples: [] };
    t.count += 1;
    if (t.samples.length < SAMPLES_PER_TYPE) t.samples.push(f);
    this.findings.set(f.type, t);
  }
}

/** The p-th percentile (0..1) by nearest rank; null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
