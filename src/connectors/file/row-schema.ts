import { z } from 'zod';
import { ACCOUNT_STATUSES, type AccountStatus, type ResourceKind } from '../types.js';
import type { RawRow } from './columns.js';

const KINDS = ['app', 'group', 'role'] as const satisfies readonly ResourceKind[];
const TRUE = ['true', 'yes', 'y', '1'];
const FALSE = ['false', 'no', 'n', '0'];
const emailCheck = z.email();

const got = (v: string) => `got ${JSON.stringify(v)}`;

class Invalid {
  constructor(readonly message: string) {}
}
const problem = (message: string) => new Invalid(message);

/** Empty text is "not stated"; anything else must pass `check`, which names what it expected. */
function optional<T>(check: (v: string) => T | Invalid) {
  return z.string().transform((raw, ctx): T | null => {
    const v = raw.trim();
    if (v === '') return null;
    const out = check(v);
    if (out instanceof Invalid) {
      ctx.addIssue({ code: 'custom', message: out.message });
      return z.NEVER;
    }
    return out;
  });
}

const text = optional((v) => v);
const email = optional((v) => (emailCheck.safeParse(v).success ? v : problem(`expected an email address, ${got(v)}`)));
const oneOf = <T extends string>(values: readonly T[]) =>
  optional((v) => values.find((x) => x === v.toLowerCase()) ?? problem(`expected one of ${values.join('|')}, ${got(v)}`));

const DATE = /^(\d{4}-\d{2}-\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
/** A time without a zone is ambiguous (whose 9 am?), so it is refused rather than guessed. */
const instant = optional<Date>((v) => {
  const day = (DATE.exec(v) ?? DATE_TIME.exec(v))?.[1];
  const realDay = day && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
  const at = new Date(DATE.test(v) ? `${v}T00:00:00Z` : v);
  if (!realDay || Number.isNaN(at.getTime())) {
    return problem(`expected an ISO 8601 date (2026-09-30) or date-time with a zone (2026-09-30T14:05:00Z), ${got(v)}`);
  }
  return at;
});
const flag = optional<boolean>((v) => {
  const l = v.toLowerCase();
  return TRUE.includes(l) ? true : FALSE.includes(l) ? false : problem(`expected true or false, ${got(v)}`);
});
const via = optional((v) =>
  v.toLowerCase() === 'direct' ? 'direct' : /^group:.+$/.test(v) ? v : problem(`expected direct or group:<group resource>, ${got(v)}`),
);

/** Prefixes every id from the file, so it must not contain the `:` separator. */
const system = z
  .string()
  .trim()
  .min(1, 'required')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'expected letters, digits, ".", "_" or "-" (it prefixes ids)');

export const rowSchema = z
  .object({
    system,
    account_id: z.string().trim().min(1, 'required'),
    login: text,
    email,
    name: text,
    status: oneOf<AccountStatus>(ACCOUNT_STATUSES),
    last_login: instant,
    department: text,
    title: text,
    manager_email: email,
    resource: text,
    resource_kind: oneOf<ResourceKind>(KINDS),
    privileged: flag,
    owner_email: email,
    via,
    mfa: flag,
  })
  .superRefine((row, ctx) => {
    // `owner_email` without a resource is checked once the account is known (buildDirectory): on
    // the rows of an account of no person it names the account's owner, and needs no resource.
    const stated = (['resource_kind', 'privileged', 'via'] as const).filter((c) => row[c] !== null);
    if (row.resource === null && stated.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['resource'], message: `required when ${stated.join(', ')} is set` });
    }
  });

export type FileRow = z.output<typeof rowSchema>;

export function parseRow(raw: RawRow): { row: FileRow } | { issues: { column: string; message: string }[] } {
  const parsed = rowSchema.safeParse(raw);
  if (parsed.success) return { row: parsed.data };
  return { issues: parsed.error.issues.map((i) => ({ column: String(i.path[0] ?? ''), message: i.message })) };
}
