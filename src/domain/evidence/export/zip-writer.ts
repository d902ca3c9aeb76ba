import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { PassThrough, Transform, type Duplex, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/**
 * Deflate level: 1 is several times faster than the default 6 and CSV still shrinks about
 * sevenfold; the export spends most of its CPU here.
 */
const COMPRESSION = 1;

export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface ZipWriter {
  /** Streams one entry into the zip and resolves with its hash and size once it is written. */
  add(name: string, source: Readable, transform?: Duplex): Promise<ManifestFile>;
  addBuffer(name: string, content: Buffer): ManifestFile;
  /** Ends the zip and moves it into place; resolves with the whole file's hash and size. */
  finish(): Promise<{ sha256: string; bytes: number }>;
  /** Leaves nothing behind after a failure. */
  abort(): Promise<void>;
}

/** Counts and hashes what passes through: the manifest describes the bytes as written. */
function measuring(onChunk: (b: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      onChunk(b);
      done(null, b);
    },
  });
}

/**
 * Gathers small chunks (a CSV writer emits one per record) into ~64 KiB ones: every chunk costs
 * a trip through each stream stage and a separate zlib call, which would dominate the export.
 */
function coalescing(size = 64 * 1024): Transform {
  let parts: Buffer[] = [];
  let held = 0;
  return new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      parts.push(b);
      held += b.length;
      if (held < size) return done();
      const out = Buffer.concat(parts, held);
      parts = [];
      held = 0;
      done(null, out);
    },
    flush(done) {
      done(null, held > 0 ? Buffer.concat(parts, held) : undefined);
    },
  });
}

/**
 * A zip streamed to `<path>.partial` and renamed on success, so a failed export never leaves a
 * file that looks complete. Entries are added one after another (yazl writes them in order),
 * and each waits on the zip's backpressure: memory stays bounded whatever the row count.
 */
export function createZipWriter(path: string, mtime: Date): ZipWriter {
  const partial = `${path}.partial`;
  const zip = new yazl.ZipFile();
  const whole = createHash('sha256');
  let wholeBytes = 0;
  // Coalesced before the file: yazl hands on deflate's small chunks, one write(2) each otherwise.
  const written = pipeline(
    zip.outputStream as Readable,
    coalescing(256 * 1024),
    measuring((b) => {
      whole.update(b);
      wholeBytes += b.length;
    }),
    createWriteStream(partial),
  );
  // Observed by add() and finish(); this only stops an early failure being reported as unhandled.
  written.catch(() => undefined);
  const outputFailed = written.then(() => {
    throw new Error('the zip output ended before the bundle was complete');
  });
  outputFailed.catch(() => undefined);

  return {
    async add(name, source, transform) {
      const entry = new PassThrough();
      zip.addReadStream(entry, name, { mtime, compressionLevel: COMPRESSION });
      const hash = createHash('sha256');
      let bytes = 0;
      const meter = measuring((b) => {
        hash.update(b);
        bytes += b.length;
      });
      const done = transform ? pipeline(source, transform, coalescing(), meter, entry) : pipeline(source, coalescing(), meter, entry);
      await Promise.race([done, outputFailed]);
      return { name, sha256: hash.digest('hex'), bytes };
    },
    addBuffer(name, content) {
      zip.addBuffer(content, name, { mtime, compressionLevel: COMPRESSION });
      return { name, sha256: createHash('sha256').update(content).digest('hex'), bytes: content.length };
    },
    async finish() {
      zip.end();
      await written;
      await rename(partial, path);
      return { sha256: whole.digest('hex'), bytes: wholeBytes };
    },
    async abort() {
      (zip.outputStream as Readable).destroy();
      await written.catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}
