import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipEntry {
  name: string;
  /** Uncompressed size as the zip's central directory states it. */
  size: number;
  open(): Promise<Readable>;
}

/**
 * The entries of a zip, one at a time (lazily: a 100 MB bundle is never held in memory). Each
 * entry's stream should be read to its end before asking for the next.
 */
export async function* zipEntries(path: string): AsyncGenerator<ZipEntry> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  try {
    for await (const entry of zip.eachEntry()) {
      yield { name: entry.fileName, size: entry.uncompressedSize, open: () => zip.openReadStreamPromise(entry) };
    }
  } finally {
    zip.close();
  }
}
