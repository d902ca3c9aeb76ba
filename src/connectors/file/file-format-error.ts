import { PermanentError } from '../types.js';

/**
 * One problem in a directory file. `line` is the file line for CSV (the header is line 1) and
 * the 1-based record number for JSON; `column` is '' for a problem with the whole row or file.
 */
export interface FileProblem {
  line: number;
  column: string;
  message: string;
}

/** Shown in full in `problems`; the message stops here so a garbage file cannot flood a log line. */
const MESSAGE_LIMIT = 200;

/** A directory file is refused whole: nothing of it is read when any row is wrong. */
export class FileFormatError extends PermanentError {
  readonly problems: FileProblem[];

  constructor(path: string, problems: FileProblem[], unit: 'line' | 'record') {
    const sorted = [...problems].sort((a, b) => a.line - b.line);
    const field = unit === 'line' ? 'column' : 'field';
    const lines = sorted
      .slice(0, MESSAGE_LIMIT)
      .map((p) => `${unit} ${p.line}${p.column ? `, ${field} ${p.column}` : ''}: ${p.message}`);
    if (sorted.length > MESSAGE_LIMIT) lines.push(`… and ${sorted.length - MESSAGE_LIMIT} more`);
    const count = `${sorted.length} problem${sorted.length === 1 ? '' : 's'}`;
    super(`directory file ${path} refused, ${count}:\n${lines.join('\n')}`);
    this.name = 'FileFormatError';
    this.problems = sorted;
  }
}
