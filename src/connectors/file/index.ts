import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Connector, DirectoryPage } from '../types.js';
import { PermanentError } from '../types.js';
import { buildDirectory, type FileDirectory } from './build-directory.js';
import { FileFormatError } from './file-format-error.js';
import { parseCsv } from './parse-csv.js';
import { parseJson } from './parse-json.js';

export { FileFormatError, type FileProblem } from './file-format-error.js';
export { COLUMNS, REQUIRED_COLUMNS } from './columns.js';

const PAGE = 1000;

/** Reads, validates and folds the whole file; any problem refuses all of it. */
export async function loadDirectoryFile(path: string): Promise<FileDirectory> {
  const format = formatOf(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new PermanentError(`directory file ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = format === 'csv' ? parseCsv(text) : parseJson(text);
  const built = buildDirectory(parsed.rows, parsed.columns);
  const problems = [...parsed.problems, ...built.problems];
  if (problems.length > 0) throw new FileFormatError(path, problems, format === 'csv' ? 'line' : 'record');
  return built.directory;
}

function formatOf(path: string): 'csv' | 'json' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.json') return ext === '.csv' ? 'csv' : 'json';
  throw new PermanentError(`directory file ${path}: expected a .csv or .json file`);
}

function* chunks<T>(list: T[]): Generator<T[]> {
  for (let i = 0; i < list.length; i += PAGE) yield list.slice(i, i + PAGE);
}

/**
 * `DIRECTORY_FILE`: accounts and grants of systems outside the identity provider (a database,
 * AWS IAM, a vendor console), or a whole directory for trying Attest without one. The file is
 * read afresh on every sync. Nothing is automated: removal is always a task for the owner.
 */
export function createFileConnector(opts: { path: string }): Connector {
  formatOf(opts.path);
  return {
    source: 'file',
    async *read(signal?: AbortSignal): AsyncGenerator<DirectoryPage> {
      const dir = await loadDirectoryFile(opts.path);
      signal?.throwIfAborted();
      // A file without grant columns lists no resources: that is silence, not a deletion of all.
      yield { resources: dir.resources, ...(dir.listsGrants ? {} : { coverage: { resources: false } }) };
      for (const accounts of chunks(dir.accounts)) yield { accounts };
      for (const grants of chunks(dir.grants)) yield { grants };
    },
    canRemove: () => false,
  };
}
