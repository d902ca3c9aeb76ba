/** Follows Google's `nextPageToken` until a page comes without one. */
export async function* paginate<P extends { nextPageToken?: string | null }>(
  fetchPage: (pageToken: string | undefined) => Promise<P>,
): AsyncGenerator<P> {
  let pageToken: string | undefined;
  do {
    const page: P = await fetchPage(pageToken);
    yield page;
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
}
