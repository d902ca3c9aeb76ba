import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import type { Counter } from 'prom-client';

/** Global middleware: counts every verified delivery by kind before the listeners run. */
export function countRequests(counter: Counter<'kind'>): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    counter.inc({ kind: requestKind(body) });
    await next();
  };
}

/** A fixed, small set of labels: commands, events, actions, views, shortcuts, options. */
export function requestKind(body: unknown): string {
  const b = body as { command?: unknown; type?: unknown };
  if (typeof b.command === 'string') return 'command';
  switch (b.type) {
    case 'event_callback':
      return 'event';
    case 'block_actions':
    case 'interactive_message':
      return 'action';
    case 'view_submission':
    case 'view_closed':
      return 'view';
    case 'shortcut':
    case 'message_action':
      return 'shortcut';
    case 'block_suggestion':
      return 'options';
    default:
      return 'other';
  }
}
