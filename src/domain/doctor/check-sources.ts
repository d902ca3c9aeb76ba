import type { Connector, DirectoryPage } from '../../connectors/types.js';
import { messageOf } from './run-checks.js';
import { fail, ok, type Check } from './types.js';

/** The variables that configure each source: every fix names them. */
export const SOURCE_VARIABLES: Record<string, string> = {
  okta: 'OKTA_ORG_URL and OKTA_API_TOKEN (or OKTA_CLIENT_ID + OKTA_PRIVATE_KEY, OKTA_SCOPES)',
  google: 'GOOGLE_CREDENTIALS (the service-account key file, with domain-wide delegation), GOOGLE_ADMIN_SUBJECT and GOOGLE_API_URL',
  file: 'DIRECTORY_FILE (a .csv or .json file laid out as in examples/)',
};

/** A first page can take a while on a large Okta org (rate-limited app lists). */
const SOURCE_TIMEOUT_MS = 30_000;
/** A refused directory file lists every bad row; the operator needs the first few to start. */
const DETAIL_LINES = 6;

/** No source at all: `attest sync` has nothing to read, so there is nobody to review. */
export function noSourceCheck(): Check {
  return {
    name: 'sources',
    run: async () =>
      fail('no identity source is configured', `set ${SOURCE_VARIABLES.okta}, or ${SOURCE_VARIABLES.google}, or ${SOURCE_VARIABLES.file}`),
  };
}

/**
 * One source answers (or parses): the first page is read and the read is abandoned, so a large
 * org costs a request or two, not a full sync. Nothing is written.
 */
export function sourceCheck(source: string, open: () => Promise<Connector>): Check {
  return {
    name: `source:${source}`,
    timeoutMs: SOURCE_TIMEOUT_MS,
    async run(signal) {
      const vars = SOURCE_VARIABLES[source] ?? 'its variables';
      try {
        const page = await firstPage(await open(), signal);
        return ok(page ? `${source} answered: ${describe(page)} on the first page` : `${source} answered with nothing in it`);
      } catch (err) {
        const lines = messageOf(err).split('\n');
        const detail = [...lines.slice(0, DETAIL_LINES), ...(lines.length > DETAIL_LINES ? [`… ${lines.length - DETAIL_LINES} more lines`] : [])].join('\n');
        return fail(`${source} failed: ${detail}`, `check ${vars}`);
      }
    },
  };
}

async function firstPage(connector: Connector, signal: AbortSignal): Promise<DirectoryPage | undefined> {
  const reading = new AbortController();
  const stop = () => reading.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  try {
    // Leaving the loop returns the generator (its finally blocks run); aborting stops requests in flight.
    for await (const page of connector.read(reading.signal)) return page;
    return undefined;
  } finally {
    signal.removeEventListener('abort', stop);
    reading.abort(new Error('doctor read one page'));
  }
}

function describe(page: DirectoryPage): string {
  const parts = [
    page.accounts && `${page.accounts.length} accounts`,
    page.resources && `${page.resources.length} resources`,
    page.grants && `${page.grants.length} grants`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'an empty page';
}
