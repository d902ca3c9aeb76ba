import { Collection, type Client } from '@okta/okta-sdk-nodejs';

/**
 * An SDK collection a page at a time: the SDK follows the Link header's `next` (its `after`
 * cursor) but its iterator hands out single items, and a page is what the engine wants.
 */
export async function* pagesOf<T>(collection: Promise<Collection<T>>): AsyncGenerator<T[]> {
  const c = await collection;
  do {
    yield (await c.getNextPage()) as unknown as T[];
  } while (c.nextUri);
}

/**
 * The same paging over plain JSON, for the big lists (users, members, app users). The generated
 * models deserialise every field of every object, which was most of the CPU of a 10,000-user
 * read; these lists are mapped from the wire shape directly. Auth, retries and rate limits are
 * the client's as for any other call.
 */
export function jsonPages<T>(client: Client, path: string, query: Record<string, string | number>): AsyncGenerator<T[]> {
  const url = new URL(`${client.baseUrl}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  const request = { url: url.toString(), method: 'GET', headers: { Accept: 'application/json' } };
  return pagesOf(Promise.resolve(new Collection<T>(client.http, request.url, undefined, request)));
}

/** The `after` cursor of a `_links.next.href`, for the lists that page in the body. */
export function afterCursor(href: string | undefined): string | undefined {
  if (!href) return undefined;
  return new URL(href).searchParams.get('after') ?? undefined;
}
