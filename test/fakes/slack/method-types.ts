import type { Body } from './parse-body.js';
import type { SlackState } from './state.js';

export type Result = { ok: boolean; error?: string } & Record<string, unknown>;

export interface MethodContext {
  state: SlackState;
  /** http://127.0.0.1:port (no trailing slash): upload URLs point here. */
  baseUrl: string;
}

export type MethodHandler = (body: Body, ctx: MethodContext) => Result;

export function fail(error: string, extra: Record<string, unknown> = {}): Result {
  return { ok: false, error, ...extra };
}

/** Slack's answer to blocks it refuses: the error plus a line per problem. */
export function invalidBlocks(errors: string[], error = 'invalid_blocks'): Result {
  const top = [...new Set(errors)].slice(0, 10);
  return fail(error, { errors: top, response_metadata: { messages: top.map((e) => `[ERROR] ${e}`) } });
}

/** Opaque cursors, as Slack's are: base64 of an offset. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

export function decodeCursor(cursor: unknown): number | undefined {
  if (cursor === undefined || cursor === '') return 0;
  const m = /^offset:(\d+)$/.exec(Buffer.from(String(cursor), 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
