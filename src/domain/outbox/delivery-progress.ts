/**
 * What a delivery attempt has done so far, kept in `outbox.result` after every Slack call so a
 * retry (or the process that takes over after a crash) skips pages already posted.
 */
export interface DeliveredPage {
  page: number;
  /** The conversation Slack answered with (a DM's `D…` id when we posted to a user id). */
  channel: string;
  ts: string;
  action: 'posted' | 'updated' | 'found';
}

export interface DeliveryProgress {
  threadKey?: string;
  messages: DeliveredPage[];
  /**
   * A post may have reached Slack without our hearing back (timeout, connection reset, 5xx):
   * the next attempt looks in the conversation's history before posting again.
   */
  inDoubt?: boolean;
}

export function readProgress(result: Record<string, unknown> | null): DeliveryProgress {
  const messages = Array.isArray(result?.messages) ? (result.messages as DeliveredPage[]) : [];
  return {
    messages: [...messages],
    ...(typeof result?.threadKey === 'string' ? { threadKey: result.threadKey } : {}),
    ...(result?.inDoubt === true ? { inDoubt: true } : {}),
  };
}
