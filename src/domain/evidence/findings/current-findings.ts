import type { Deps } from '../../../deps.js';
import { findSegment } from '../export/evidence-segment.js';
import { checkPeriod, type PeriodInput } from '../export/parse-period.js';
import { resolvePeriod, type ExportPeriod } from '../export/resolve-period.js';
import { findFindings } from './find-findings.js';
import { DEFAULT_RUBBER_STAMP, type Finding } from './types.js';

export interface CurrentFindings {
  period: ExportPeriod;
  findings: Finding[];
}

/** The calendar quarter (UTC) that holds `at`, as `2026-Q4`. */
export function quarterOf(at: Date): string {
  return `${at.getUTCFullYear()}-Q${Math.floor(at.getUTCMonth() / 3) + 1}`;
}

/**
 * Every rule's findings as of now, for a period resolved the way the bundle resolves it (the
 * current quarter when none is given): the same rules and thresholds as findings.csv, so the
 * command shows what the next export would say.
 */
export async function currentFindings(deps: Pick<Deps, 'db' | 'clock' | 'config'>, input?: PeriodInput): Promise<CurrentFindings> {
  const now = deps.clock.now();
  const asked = input ?? { quarter: quarterOf(now) };
  checkPeriod(asked);
  const period = await resolvePeriod(deps.db, now, asked);
  const segment = await findSegment(deps.db, period.from, period.to);
  const scope = {
    db: deps.db,
    from: period.from,
    to: period.to,
    asOf: period.asOf,
    at: now,
    campaigns: period.campaigns,
    segment,
    staleLoginDays: deps.config.STALE_LOGIN_DAYS,
    slaHours: deps.config.OFFBOARDING_SLA_HOURS,
    driftDecisionDays: deps.config.DRIFT_DECISION_DAYS,
    rubberStamp: DEFAULT_RUBBER_STAMP,
    rowsAsOf: null,
  };
  const findings: Finding[] = [];
  for await (const f of findFindings(scope)) findings.push(f);
  return { period, findings };
}
