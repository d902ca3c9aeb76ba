/**
 * The columns of a directory file (CSV header, or JSON keys), in the order examples use.
 * One row per grant (account × resource); an account with no grants has one row with the
 * resource columns empty. Documented in examples/README.md.
 */
export const COLUMNS = [
  'system',
  'account_id',
  'login',
  'email',
  'name',
  'status',
  'last_login',
  'department',
  'title',
  'manager_email',
  'resource',
  'resource_kind',
  'privileged',
  'owner_email',
  'via',
  /** Whether the account has multi-factor authentication (yes/no; empty: the file does not say). */
  'mfa',
] as const;

export type Column = (typeof COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly Column[] = ['system', 'account_id'];

export const isColumn = (name: string): name is Column => (COLUMNS as readonly string[]).includes(name);

/** A raw row: every known column as text ('' when empty or absent). */
export type RawRow = Record<Column, string>;

export const emptyRow = (): RawRow => Object.fromEntries(COLUMNS.map((c) => [c, ''])) as RawRow;
