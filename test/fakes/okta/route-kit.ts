import type { OktaOrg } from './org.js';
import { firstAfter } from './sorted-ids.js';

export interface RouteContext {
  org: OktaOrg;
  /** Origin of the fake, e.g. http://127.0.0.1:4567 (links are absolute, as Okta's are). */
  base: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  /** The OAuth scope an access token needs (API tokens carry the admin's rights). */
  scope: string;
  handle(ctx: RouteContext): RouteResult;
}

export interface PageRule {
  defaultLimit: number;
  maxLimit: number;
}

/**
 * One page of an id-ordered list. A `limit` above the endpoint's maximum is capped, as Okta
 * caps it; `next` carries the last id as the `after` cursor and keeps the other query params.
 */
export function pageOf<T>(
  ctx: RouteContext,
  ids: readonly string[],
  rule: PageRule,
  toJson: (id: string) => T,
  keep: (id: string) => boolean = () => true,
): { items: T[]; next: string | undefined } {
  const asked = Number.parseInt(ctx.query.get('limit') ?? '', 10);
  const limit = Math.min(Number.isFinite(asked) && asked > 0 ? asked : rule.defaultLimit, rule.maxLimit);
  const after = ctx.query.get('after');
  const picked: string[] = [];
  // One extra look-ahead decides whether there is a next page, so the last page has no next link.
  for (let i = after ? firstAfter(ids, after) : 0; i < ids.length && picked.length <= limit; i += 1) {
    const id = ids[i] as string;
    if (keep(id)) picked.push(id);
  }
  const more = picked.length > limit;
  const pageIds = more ? picked.slice(0, limit) : picked;
  const next = more ? nextUrl(ctx, pageIds[pageIds.length - 1] as string, limit) : undefined;
  return { items: pageIds.map(toJson), next };
}

function nextUrl(ctx: RouteContext, after: string, limit: number): string {
  const q = new URLSearchParams(ctx.query);
  q.set('after', after);
  q.set('limit', String(limit));
  return `${ctx.base}${ctx.path}?${q.toString()}`;
}

/** Okta sends one Link header per relation. */
export function linkHeaders(ctx: RouteContext, next: string | undefined): Record<string, string[]> {
  const self = `${ctx.base}${ctx.path}${ctx.query.size ? `?${ctx.query.toString()}` : ''}`;
  const links = [`<${self}>; rel="self"`];
  if (next) links.push(`<${next}>; rel="next"`);
  return { Link: links };
}

export function listResult(ctx: RouteContext, page: { items: unknown[]; next: string | undefined }): RouteResult {
  return { status: 200, body: page.items, headers: linkHeaders(ctx, page.next) };
}
