import type { Deps } from '../../deps.js';

/** What a webhook handler needs from an HTTP request: nothing framework-specific. */
export interface HookRequest {
  method: string;
  /** Header names in any case (node lowercases them). */
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: signatures are computed over these bytes. */
  rawBody: string;
}

export interface HookResponse {
  status: number;
  body: unknown;
}

export type HookHandler = (req: HookRequest) => Promise<HookResponse>;

export type HookDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'logger'>;

/** A header's value regardless of the case of its name; the first one when repeated. */
export function header(req: Pick<HookRequest, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
