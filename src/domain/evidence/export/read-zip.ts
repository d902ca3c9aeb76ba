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

/**
 * The first entry of each of `names`, read whole; every other entry is skipped unread (only the
 * central directory is walked). For the small files a verifier needs before the rest: the
 * manifest and the public key. A larger entry than `maxBytes` is refused rather than read.
 */
export async function readEntries(path: string, names: string[], maxBytes = 16 * 1024 * 1024): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const entry of zipEntries(path)) {
    if (!names.includes(entry.name) || out.has(entry.name)) continue;
    if (entry.size > maxBytes) throw new Error(`${entry.name} is larger than ${maxBytes} bytes`);
    const chunks: Buffer[] = [];
    for await (const chunk of await entry.open()) chunks.push(chunk as Buffer);
    out.set(entry.name, Buffer.concat(chunks));
  }
  return out;
}
