import type { SourceAccount, SourceGrant, SourceResource } from '../types.js';
import type { Column } from './columns.js';
import type { FileProblem } from './file-format-error.js';
import type { NumberedRow } from './parse-csv.js';
import { parseRow, type FileRow } from './row-schema.js';

export interface FileDirectory {
  accounts: SourceAccount[];
  resources: SourceResource[];
  grants: SourceGrant[];
  /**
   * Whether the file says who holds what at all: it has a `resource` column. Without one it lists
   * accounts only, and its silence about resources and grants means "not stated", never "gone".
   */
  listsGrants: boolean;
}

const ACCOUNT_FIELDS = ['login', 'email', 'name', 'status', 'last_login', 'department', 'title', 'manager_email', 'mfa'] as const;
const RESOURCE_FIELDS = ['resource_kind', 'privileged', 'owner_email'] as const;
type Field = (typeof ACCOUNT_FIELDS)[number] | (typeof RESOURCE_FIELDS)[number];
type Value = FileRow[Field];

/** What one account or resource has been said to be so far, and on which line each value came. */
class Facts {
  private readonly values = new Map<Field, { value: NonNullable<Value>; line: number }>();
  constructor(readonly row: FileRow) {}

  /** Rows may repeat an account or resource; a value may be left empty but never contradicted. */
  merge(row: FileRow, line: number, fields: readonly Field[], problems: FileProblem[]) {
    for (const column of fields) {
      const value = row[column];
      if (value === null) continue;
      const prior = this.values.get(column);
      if (!prior) this.values.set(column, { value, line });
      else if (key(prior.value) !== key(value)) {
        problems.push({ line, column, message: `conflicts with line ${prior.line} (${show(prior.value)} there, ${show(value)} here)` });
      }
    }
  }

  get<F extends Field>(column: F): NonNullable<FileRow[F]> | null {
    return (this.values.get(column)?.value as NonNullable<FileRow[F]> | undefined) ?? null;
  }
}

const key = (v: NonNullable<Value>) => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v.toLowerCase() : String(v));
const show = (v: NonNullable<Value>) => JSON.stringify(v instanceof Date ? v.toISOString() : v);
function upsert<V>(map: Map<string, V>, k: string, create: () => V): V {
  let v = map.get(k);
  if (v === undefined) map.set(k, (v = create()));
  return v;
}

const accountKey = (r: FileRow) => `${r.system}:${r.account_id}`;
const resourceKey = (system: string, name: string) => `${system}:${name}`;

/** `owner_email` on the rows of an account that belongs to no person: who answers for the account. */
const PERSONLESS_RESOURCE_FIELDS = ['resource_kind', 'privileged'] as const;

/**
 * Validates every row and folds them into accounts, resources and grants. All problems are
 * collected, never just the first, so one round of fixes makes the file acceptable.
 *
 * `owner_email` has two meanings, told apart by the account: on the rows of an account with an
 * `email` (a person's) it names the owner of the row's resource, as it always has; on the rows
 * of an account without one (a service, bot or shared account) it names the account's owner,
 * who reviews it, and the resource's owner is taken from other rows. So the accounts are folded
 * first, and the resources once each account is known to have a person or not.
 */
export function buildDirectory(rows: NumberedRow[], columns: ReadonlySet<Column>): { directory: FileDirectory; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const accounts = new Map<string, Facts>();
  const resources = new Map<string, Facts>();
  const grants = new Map<string, { grant: SourceGrant; line: number; system: string; group: string | null }>();

  const valid: { line: number; row: FileRow }[] = [];
  for (const { line, raw } of rows) {
    const parsed = parseRow(raw);
    if ('issues' in parsed) {
      problems.push(...parsed.issues.map((i) => ({ line, ...i })));
      continue;
    }
    valid.push({ line, row: parsed.row });
    upsert(accounts, accountKey(parsed.row), () => new Facts(parsed.row)).merge(parsed.row, line, ACCOUNT_FIELDS, problems);
  }

  for (const { line, row } of valid) {
    const account = accounts.get(accountKey(row))!;
    const personless = account.get('email') === null;
    if (personless) account.merge(row, line, ['owner_email'], problems);
    if (row.resource === null) {
      if (!personless && row.owner_email !== null) problems.push({ line, column: 'resource', message: 'required when owner_email is set' });
      continue;
    }
    const rKey = resourceKey(row.system, row.resource);
    const resource = upsert(resources, rKey, () => new Facts(row));
    resource.merge(row, line, personless ? PERSONLESS_RESOURCE_FIELDS : RESOURCE_FIELDS, problems);
    const group = row.via?.startsWith('group:') ? row.via.slice('group:'.length) : null;
    const via = group === null ? 'direct' : `group:${resourceKey(row.system, group)}`;
    const grant = { accountExternalId: accountKey(row), resourceExternalId: rKey, via };
    grants.set(`${grant.accountExternalId}\u0000${rKey}\u0000${via}`, { grant, line, system: row.system, group });
  }

  // A grant through a group must name a group the file lists in the same system.
  for (const { line, system, group } of grants.values()) {
    if (group === null) continue;
    const target = resources.get(resourceKey(system, group));
    if (!target || (target.get('resource_kind') ?? 'app') !== 'group') {
      problems.push({ line, column: 'via', message: `"${group}" is not listed as a group resource of ${system}` });
    }
  }

  return {
    problems,
    directory: {
      accounts: [...accounts.values()].map(toAccount),
      resources: [...resources.values()].map(toResource),
      grants: [...grants.values()].map((g) => g.grant),
      listsGrants: columns.has('resource'),
    },
  };
}

function toAccount(f: Facts): SourceAccount {
  const email = f.get('email');
  const name = f.get('name');
  const status = f.get('status') ?? 'active';
  return {
    externalId: accountKey(f.row),
    system: f.row.system,
    login: f.get('login') ?? email ?? f.row.account_id,
    email,
    displayName: name,
    status,
    rawStatus: status,
    lastLoginAt: f.get('last_login'),
    // No email, no person: a service or shared account shows up as orphaned, which is the point;
    // its `owner_email` says who reviews it.
    person: email
      ? { email, name: name ?? email, title: f.get('title'), department: f.get('department'), managerEmail: f.get('manager_email') }
      : null,
    ownerEmail: email ? null : f.get('owner_email'),
    attrs: { accountId: f.row.account_id },
    // An empty `mfa` says nothing: what is on record stays.
    ...(f.get('mfa') !== null ? { mfa: { enrolled: f.get('mfa')!, enforced: null } } : {}),
  };
}

function toResource(f: Facts): SourceResource {
  return {
    externalId: resourceKey(f.row.system, f.row.resource!),
    system: f.row.system,
    kind: f.get('resource_kind') ?? 'app',
    name: f.row.resource!,
    privileged: f.get('privileged') ?? false,
    ownerEmail: f.get('owner_email'),
    // A resource exists in a file only through the rows that grant it, so those rows are the
    // whole list of its holders: one missing from them has lost the access.
    membersRead: true,
  };
}
