import { Readable } from 'node:stream';
import { CHUNK_CHARS, csvHeader, csvRecord, type Column } from './csv-entry.js';
import { openSpoolFile } from './spool-file.js';

/** A CSV spooled to disk until its entry's turn (see spool-file.ts); the bytes are csvSource's. */
export interface CsvSpool<T> {
  write(row: T): Promise<void>;
  /** Rows written so far, `more` included once read. */
  readonly rows: number;
  /** The whole file, header first, then `more` rows; once, after the last write. */
  source(more?: AsyncIterable<T>): Promise<Readable>;
  discard(): Promise<void>;
}

export async function csvSpool<T>(columns: Column<T>[]): Promise<CsvSpool<T>> {
  const file = await openSpoolFile();
  await file.append(csvHeader(columns));
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    async write(row) {
      rows += 1;
      await file.append(csvRecord(columns, row));
    },
    async source(more) {
      const spooled = await file.read();
      if (!more) return spooled;
      async function* text(): AsyncGenerator<Buffer | string> {
        yield* spooled;
        let tail = '';
        for await (const row of more!) {
          tail += csvRecord(columns, row);
          rows += 1;
          if (tail.length >= CHUNK_CHARS) {
            yield tail;
            tail = '';
          }
        }
        if (tail.length > 0) yield tail;
      }
      return Readable.from(text(), { objectMode: false });
    },
    discard: () => file.discard(),
  };
}
