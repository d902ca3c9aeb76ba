/**
 * The preflight's vocabulary, shared by `attest doctor` and the App Home setup checklist.
 * Every check says what it saw (`detail`) and, when not ok, exactly what to change (`fix`:
 * a variable, a Slack app setting or a command); `fix` is null when the check is ok.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckOutcome {
  status: CheckStatus;
  detail: string;
  fix: string | null;
}

export interface CheckResult extends CheckOutcome {
  name: string;
}

export interface DoctorReport {
  /** False when any check failed; warnings do not make it false. */
  ok: boolean;
  checks: CheckResult[];
}

export interface Check {
  /** Stable, machine-readable: scripts and the App Home checklist key on it. */
  name: string;
  /** Overrides the runner's default timeout (identity sources may page slowly). */
  timeoutMs?: number;
  run(signal: AbortSignal): Promise<CheckOutcome>;
}

export const ok = (detail: string): CheckOutcome => ({ status: 'ok', detail, fix: null });
export const warn = (detail: string, fix: string): CheckOutcome => ({ status: 'warn', detail, fix });
export const fail = (detail: string, fix: string): CheckOutcome => ({ status: 'fail', detail, fix });

/** A check whose prerequisite failed reports that it did not run, pointing at the real problem. */
export const notChecked = (because: string, fix: string): CheckOutcome => warn(`not checked: ${because}`, fix);
