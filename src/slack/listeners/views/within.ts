/**
 * Slack waits 3 seconds for a view_submission's answer, and only that answer can show errors
 * in the form. So the use case gets a head start: if it settles within `ms`, its outcome can
 * go into the ack (field errors, or the next view); if not, the caller acks and reports the
 * outcome afterwards. The promise is observed either way, so a late rejection is never
 * unhandled.
 */
export type Early<T> = { settled: true; ok: true; value: T } | { settled: true; ok: false; error: unknown } | { settled: false };

/** Below Slack's 3 s, leaving room for the network both ways. */
export const ACK_BUDGET_MS = 2000;

export async function within<T>(work: Promise<T>, ms: number = ACK_BUDGET_MS): Promise<Early<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Early<T>>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  const settled = work.then(
    (value): Early<T> => ({ settled: true, ok: true, value }),
    (error: unknown): Early<T> => ({ settled: true, ok: false, error }),
  );
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
