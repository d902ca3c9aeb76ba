import type { ReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Characters held before a write: one write per record would cost more than the record. */
const HELD_CHARS = 64 * 1024;

/**
 * A temporary file that text is appended to while the export writes another zip entry, and
 * read back once for its own turn: a zip's entries are written one after another, so what one
 * read of the review items finds for a later file waits on disk, not in memory.
 */
export interface SpoolFile {
  append(text: string): Promise<void>;
  /** Everything appended, from the start; once, after the last append. */
  read(): Promise<ReadStream>;
  /** Closes and removes the file: after its turn, or on failure. Safe to call again. */
  discard(): Promise<void>;
}

/**
 * The file is unlinked as soon as it is open (where the system allows it: not on Windows), so
 * it lives only as long as this process holds it: an export killed part-way (SIGKILL, a crash,
 * the OOM killer) leaves no spool behind in the temporary directory.
 */
export async function openSpoolFile(): Promise<SpoolFile> {
  const dir = await mkdtemp(join(tmpdir(), 'attest-export-'));
  let file: FileHandle;
  try {
    file = await open(join(dir, 'spool'), 'w+');
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let linked = await rm(dir, { recursive: true }).then(
    () => false,
    () => true,
  );
  let held = '';
  let closed = false;
  let reading: ReadStream | null = null;
  const close = async () => {
    if (closed) return;
    closed = true;
    await file.close();
  };
  return {
    async append(text) {
      held += text;
      if (held.length < HELD_CHARS) return;
      const out = held;
      held = '';
      await file.write(out);
    },
    async read() {
      if (held.length > 0) await file.write(held);
      held = '';
      closed = true; // the stream closes the file once read, or destroyed
      reading = file.createReadStream({ start: 0, autoClose: true });
      return reading;
    },
    async discard() {
      reading?.destroy();
      await close().catch(() => undefined);
      if (linked) {
        await rm(dir, { recursive: true, force: true });
        linked = false;
      }
    },
  };
}
