import { Readable, type Duplex } from 'node:stream';
import { stringify } from 'csv-stringify';
import { toCell } from './csv-cells.js';

/** A CSV column: its header and how to read it from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** What a zip entry needs to stream a CSV: the rows as cells, and the writer that quotes them. */
export interface CsvSource {
  source: Readable;
  writer: Duplex;
}

/**
 * Streams rows through csv-stringify: RFC 4180 (CRLF records, quotes doubled, a field with a
 * delimiter, quote, CR or LF quoted). `quote_record_delimiter` is set on purpose: with a custom
 * record delimiter csv-stringify otherwise leaves a lone LF or CR inside a field unquoted.
 * No BOM: machine readers (and the verifier) get the header exactly as named.
 */
export function csvSource<T>(columns: Column<T>[], rows: AsyncIterable<T>): CsvSource {
  async function* cells(): AsyncGenerator<string[]> {
    for await (const row of rows) yield columns.map((c) => toCell(c.value(row)));
  }
  return {
    source: Readable.from(cells()),
    writer: stringify({
      header: true,
      columns: columns.map((c) => c.header),
      record_delimiter: 'windows',
      quote_record_delimiter: true,
    }),
  };
}
