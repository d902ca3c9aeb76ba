import type { Check, CheckOutcome, CheckResult, DoctorReport } from './types.js';

/** Long enough for a slow Slack or database answer; short enough that a hung one cannot stall the preflight. */
export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

/**
 * Runs the checks one after another (PGlite is a single connection, and each Slack call is
 * cheap), each bounded by its timeout: a check that throws or hangs is a fail, never a crash,
 * so the operator always gets the whole list.
 */
export async function runChecks(checks: readonly Check[], defaultTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS): Promise<DoctorReport> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push({ name: check.name, ...(await runOne(check, check.timeoutMs ?? defaultTimeoutMs)) });
  return { ok: results.every((r) => r.status !== 'fail'), checks: results };
}

async function runOne(check: Check, timeoutMs: number): Promise<CheckOutcome> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve({
        status: 'fail',
        detail: `no answer within ${Math.round(timeoutMs / 1000)} s`,
        fix: 'check the network path to the service named by this check, then run attest doctor again',
      });
    }, timeoutMs);
  });
  try {
    return await Promise.race([check.run(controller.signal), timedOut]);
  } catch (err) {
    return { status: 'fail', detail: `the check itself failed: ${messageOf(err)}`, fix: 'see the detail; run attest doctor again once fixed' };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
