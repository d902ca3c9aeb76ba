import { sql, type SQL } from 'drizzle-orm';
import { USABLE_STATUSES } from '../../connectors/types.js';

/** What the account, resource and people statements of one run need to know. */
export interface StageScope {
  source: string;
  stageId: string;
}

/** A list of ids as one JSON parameter (no limit on parameters applies), as a set of uuids. */
export const idSet = (ids: readonly string[]): SQL => sql`(select x::uuid from json_array_elements_text(${JSON.stringify(ids)}::json) x)`;

/** The statuses in which an account can still be used, as an SQL list. */
export const usableStatuses = (): SQL => sql`(${sql.join(USABLE_STATUSES.map((s) => sql`${s}`), sql`, `)})`;

/**
 * Every email a person is known by (their own, then their aliases), lower-cased, one person per
 * email: their own address wins over someone else's alias.
 */
export const knownEmails = (): SQL => sql`(
  select distinct on (k.e) k.e, k.id, k.email
  from (
    select lower(p.email) as e, p.id, lower(p.email) as email, 0 as rank from person p
    union all
    select lower(x.alias), p.id, lower(p.email), 1 from person p, unnest(p.aliases) as x(alias) where cardinality(p.aliases) > 0
  ) k
  order by k.e, k.rank)`;

/**
 * A staged account's MFA (`{"e": enrolled, "f": enforced}`) travels in its staged attributes under
 * this key, as sync_stage_account has no column of its own for it: absent when the read did not
 * look. It is never stored in account.attrs (see stagedAttrs) but in the account's MFA columns.
 */
export const STAGED_MFA_KEY = '_mfa';

/** Staged account `sa`'s attributes as the account row stores them: without its staged MFA. */
export const stagedAttrs = (): SQL => sql`(sa.attrs - ${STAGED_MFA_KEY}::text)`;

/**
 * The names of the account fields in which staged `sa` differs from stored `a`, as a text[].
 * The person link is not among them: a relink is counted and recorded on its own.
 */
export const accountChangedFields = (): SQL => sql`array_remove(array[
  case when a.system is distinct from sa.system then 'system' end,
  case when a.login is distinct from sa.login then 'login' end,
  case when a.email is distinct from sa.email then 'email' end,
  case when a.display_name is distinct from sa.display_name then 'displayName' end,
  case when a.status is distinct from sa.status then 'status' end,
  case when a.last_login_at is distinct from sa.last_login_at then 'lastLoginAt' end,
  case when a.owner_email is distinct from sa.owner_email then 'ownerEmail' end,
  case when a.attrs is distinct from ${stagedAttrs()} then 'attrs' end
]::text[], null)`;

/** The same for staged resource `sr` against stored `r`. */
export const resourceChangedFields = (): SQL => sql`array_remove(array[
  case when r.system is distinct from sr.system then 'system' end,
  case when r.kind is distinct from sr.kind then 'kind' end,
  case when r.name is distinct from sr.name then 'name' end,
  case when r.privileged is distinct from sr.privileged then 'privileged' end,
  case when r.owner_email is distinct from sr.owner_email then 'ownerEmail' end,
  case when r.attrs is distinct from sr.attrs then 'attrs' end
]::text[], null)`;

/** Staged accounts (`sa`) with the stored row of the same id (`a`, null when there is none). */
export const stagedAccounts = (s: StageScope): SQL => sql`
  sync_stage_account sa left join account a on a.source = ${s.source} and a.external_id = sa.external_id
  where sa.stage_id = ${s.stageId}`;

/** Staged resources (`sr`) with the stored row of the same id (`r`). */
export const stagedResources = (s: StageScope): SQL => sql`
  sync_stage_resource sr left join resource r on r.source = ${s.source} and r.external_id = sr.external_id
  where sr.stage_id = ${s.stageId}`;

/** Live accounts of the source that this run did not read (only gone if the read listed them all). */
export const unreadLiveAccounts = (s: StageScope): SQL => sql`
  account a where a.source = ${s.source} and a.removed_at is null
    and not exists (select 1 from sync_stage_account sa where sa.stage_id = ${s.stageId} and sa.external_id = a.external_id)`;

export const unreadLiveResources = (s: StageScope): SQL => sql`
  resource r where r.source = ${s.source} and r.removed_at is null
    and not exists (select 1 from sync_stage_resource sr where sr.stage_id = ${s.stageId} and sr.external_id = r.external_id)`;
