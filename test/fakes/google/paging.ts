/**
 * Opaque page tokens and Google's caps: a `maxResults` above the cap is served at the cap,
 * as the Directory API does, so a client asking for more cannot save requests.
 */
export function pageOf<T>(
  items: T[],
  query: URLSearchParams,
  limits: { default: number; max: number },
): { items: T[]; nextPageToken?: string } | { error: string } {
  const asked = query.get('maxResults');
  const size = asked === null ? limits.default : Number(asked);
  if (!Number.isInteger(size) || size < 1) return { error: 'Invalid value for maxResults' };
  const token = query.get('pageToken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > items.length) return { error: 'Invalid page token' };
  const end = offset + Math.min(size, limits.max);
  const page = items.slice(offset, end);
  return end < items.length ? { items: page, nextPageToken: Buffer.from(`offset:${end}`).toString('base64url') } : { items: page };
}
