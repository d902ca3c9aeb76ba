import { expect } from 'vitest';
import type { TestServer } from './serve.js';

export interface CommandAnswer {
  response_type: string;
  text: string;
  blocks: unknown[];
}

/**
 * Sends `/attest <text>` as `userId` and returns what the command answered through its
 * response_url. `emptyAck` also checks the command was acked with an empty body (the answer
 * comes through response_url, after the ack).
 */
export async function slashAttest(s: TestServer, userId: string, text: string, opts: { emptyAck?: boolean } = {}): Promise<CommandAnswer> {
  const key = `${userId}-${Math.random().toString(36).slice(2)}`;
  const res = await s.slack.command({ user_id: userId, text, response_url: s.fake.responseUrl(key) });
  expect(res.status).toBe(200);
  if (opts.emptyAck) expect(res.text).toBe('');
  return (await s.fake.waitFor('response_url', (c) => c.key === key)).body as unknown as CommandAnswer;
}
