import { createInterface } from 'node:readline';
import { openSpoolFile } from './spool-file.js';

/** Values spooled to disk as JSON lines until their turn (see spool-file.ts), then read back in order. */
export interface JsonSpool<T> {
  write(value: T): Promise<void>;
  /** Once, after the last write. */
  values(): AsyncGenerator<T>;
  discard(): Promise<void>;
}

export async function jsonSpool<T>(): Promise<JsonSpool<T>> {
  const file = await openSpoolFile();
  return {
    write: (value) => file.append(`${JSON.stringify(value)}\n`),
    async *values() {
      for await (const line of createInterface({ input: await file.read(), crlfDelay: Infinity })) {
        if (line.length > 0) yield JSON.parse(line) as T;
      }
    },
    discard: () => file.discard(),
  };
}
