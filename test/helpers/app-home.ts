import { expect } from 'vitest';
import { appHomeOpened } from './slack-request.js';
import type { TestServer } from './serve.js';

/** Opens `userId`'s App Home tab on the server and returns the view it published for them. */
export async function openHomeTab(s: TestServer, userId: string) {
  const res = await s.slack.event(appHomeOpened(userId));
  expect(res.status).toBe(200);
  const call = await s.fake.waitFor('views.publish', (c) => c.body.user_id === userId);
  expect(call.response).toMatchObject({ ok: true });
  return call.body.view as { type: string; blocks: unknown[] };
}
