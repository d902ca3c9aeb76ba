import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrationsFolder } from '../../db/client.js';

export interface JournalEntry {
  tag: string;
  /** Drizzle records this as `created_at` when it applies the migration. */
  when: number;
}

/** The migrations this build ships (drizzle/meta/_journal.json), oldest first. */
export async function readJournal(folder = migrationsFolder()): Promise<JournalEntry[]> {
  const journal = JSON.parse(await readFile(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when })).sort((a, b) => a.when - b.when);
}
