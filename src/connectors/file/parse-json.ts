import { emptyRow, isColumn, type Column } from './columns.js';
import type { FileProblem } from './file-format-error.js';
import type { NumberedRow } from './parse-csv.js';

/** A JSON value that fits in a cell; `null` is an empty cell. */
function cellText(value: unknown): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** Where a syntax error sits, when the engine says (`… at position 123`). */
function lineOf(text: string, err: unknown): number {
  const at = /position (\d+)/.exec(String((err as Error).message))?.[1];
  return at === undefined ? 1 : text.slice(0, Number(at)).split('\n').length;
}

/**
 * JSON to raw rows: an array of objects keyed by the CSV column names. "Line" is the record's
 * position in the array (1-based), since JSON has no stable line per record.
 */
export function parseJson(input: string): { rows: NumberedRow[]; columns: Set<Column>; problems: FileProblem[] } {
  const columns = new Set<Column>();
  const text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { rows: [], columns, problems: [{ line: 1, column: '', message: 'the file is empty' }] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { rows: [], columns, problems: [{ line: lineOf(text, err), column: '', message: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (!Array.isArray(data)) {
    return { rows: [], columns, problems: [{ line: 1, column: '', message: 'expected an array of row objects' }] };
  }
  if (data.length === 0) return { rows: [], columns, problems: [{ line: 1, column: '', message: 'no rows' }] };

  const rows: NumberedRow[] = [];
  const problems: FileProblem[] = [];
  data.forEach((item: unknown, i) => {
    const line = i + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ line, column: '', message: 'expected an object' });
      return;
    }
    const raw = emptyRow();
    for (const [key, value] of Object.entries(item)) {
      const cell = cellText(value);
      if (!isColumn(key)) problems.push({ line, column: key, message: 'unknown field' });
      else if (cell === undefined) problems.push({ line, column: key, message: 'expected text, a number, true/false or null' });
      else {
        raw[key] = cell;
        // A field any record names, even as null, is a column of the file (as a CSV header is).
        columns.add(key);
      }
    }
    rows.push({ line, raw });
  });
  return { rows, columns, problems };
}
