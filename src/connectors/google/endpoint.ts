import { PermanentError } from '../types.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * A signed assertion and a bearer token must not cross the network in clear text, so plain
 * http:// is accepted only for loopback hosts (a local fake or proxy), as for Okta.
 */
export function checkEndpoint(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PermanentError(`google: ${what} is not a URL`);
  }
  const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!ok) throw new PermanentError(`google: ${what} must be https:// (http:// only for loopback hosts)`);
  return url.href;
}
