import { parse } from 'csv-parse/sync';
import { COLUMNS, emptyRow, isColumn, REQUIRED_COLUMNS, type Column, type RawRow } from './columns.js';
import type { FileProblem } from './file-format-error.js';

export interface NumberedRow {
  line: number;
  raw: RawRow;
}

interface Parsed {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/**
 * CSV to raw rows, each with the line it starts on (a quoted field may span lines). The header
 * is checked here: unknown columns are refused so that a typo such as `stauts` is not silently
 * ignored.
 */
export function parseCsv(text: string): { rows: NumberedRow[]; columns: Set<Column>; problems: FileProblem[] } {
  let records: Parsed[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Parsed[];
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : 1;
    return { rows: [], columns: new Set(), problems: [{ line, column: '', message: `not valid CSV: ${(err as Error).message}` }] };
  }
  const [head, ...body] = records;
  if (!head) return { rows: [], columns: new Set(), problems: [{ line: 1, column: '', message: 'the file is empty' }] };

  const header = head.record.map((h) => h.trim().toLowerCase());
  const columns = new Set(header.filter(isColumn));
  const problems = checkHeader(header, head.info.lines);
  // With a wrong header every row would repeat the same complaint; fix the header first.
  if (problems.length > 0) return { rows: [], columns, problems };
  const rows: NumberedRow[] = [];
  let prev = head.info;
  for (const { record, info } of body) {
    const line = prev.lines + 1 + (info.empty_lines - prev.empty_lines);
    prev = info;
    // Spreadsheets export trailing rows of bare commas; they carry nothing.
    if (record.every((cell) => cell.trim() === '')) continue;
    if (record.length !== header.length) {
      problems.push({ line, column: '', message: `expected ${header.length} fields as in the header, got ${record.length}` });
      continue;
    }
    const raw = emptyRow();
    header.forEach((name, i) => {
      if (isColumn(name)) raw[name] = record[i] ?? '';
    });
    rows.push({ line, raw });
  }
  if (rows.length === 0 && problems.length === 0) {
    problems.push({ line: head.info.lines + 1, column: '', message: 'no rows after the header' });
  }
  return { rows, columns, problems };
}

function checkHeader(header: string[], line: number): FileProblem[] {
  const problems: FileProblem[] = [];
  if (header.length === 1 && header[0]?.includes(';')) {
    return [{ line, column: '', message: 'columns must be separated by commas, not semicolons' }];
  }
  const seen = new Set<string>();
  header.forEach((name, i) => {
    const column = name || `#${i + 1}`;
    if (!name) problems.push({ line, column, message: 'column has no name' });
    else if (!isColumn(name)) problems.push({ line, column, message: `unknown column; expected any of ${COLUMNS.join(', ')}` });
    else if (seen.has(name)) problems.push({ line, column, message: 'column appears twice' });
    seen.add(name);
  });
  for (const required of REQUIRED_COLUMNS) {
    if (!seen.has(required)) problems.push({ line, column: required satisfies Column, message: 'missing required column' });
  }
  return problems;
}
