/** Every reporting command prints either one JSON document or lines for a person. */
let wrote = false;

/** Whether the command already printed its document (so an error does not print a second). */
export function printed(): boolean {
  return wrote;
}

export function printJson(value: unknown): void {
  wrote = true;
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(...lines: string[]): void {
  wrote = true;
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Renders rows as an aligned text table for terminals. */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) return;
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  printLines(line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c])))));
}
