/**
 * First characters that make a spreadsheet read a cell as a formula (CSV injection): the
 * ASCII ones from the design, plus their full-width forms, which Apple Numbers normalises.
 */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/**
 * Prefixes a quote to a cell that a spreadsheet would evaluate. Applied to every cell, numbers
 * included: a CSV has no types, and one rule is easier to audit than a rule with exceptions.
 */
export function neutralise(cell: string): string {
  return cell.length > 0 && FORMULA_START.has(cell[0]!) ? `'${cell}` : cell;
}

/**
 * One value as one cell: absent is an empty cell (never a placeholder such as `-`), times are
 * UTC ISO 8601, booleans read yes/no for the people who open the file.
 */
export function toCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return neutralise(String(value));
}

/** Hours between two instants, to two decimals; empty when either is unknown. */
export function hoursBetween(from: Date | null | undefined, to: Date | null | undefined): number | null {
  if (!from || !to) return null;
  return Math.round(((to.getTime() - from.getTime()) / 3_600_000) * 100) / 100;
}
