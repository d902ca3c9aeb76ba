import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { reviewItem, syncRun, type SyncRun } from '../../../db/schema/index.js';
import type { Column } from './csv-entry.js';
import { inItemWindow, type PeriodCampaign } from './item-window.js';

export interface ReconciliationRow {
  campaignId: string;
  campaign: string;
  source: string;
  syncRunId: string | null;
  syncedAt: string | null;
  measure: string;
  detail: string | null;
  count: number;
}

/** Per source, as recorded on the campaign at launch (see SourceProvenance in reviews/types). */
interface Provenance {
  syncRunId?: string | null;
  syncedAt?: string | null;
  read?: Record<string, number>;
  liveGrants?: number;
  inScope?: number;
  excluded?: Record<string, number>;
}

/**
 * From what the identity provider reported to what was reviewed, per campaign and source: the
 * sync's totals, the live grants, those in scope, those excluded by reason, the items frozen,
 * and two differences that are zero when every grant is accounted for. Long format, because
 * sources report different totals and exclusion reasons are open-ended.
 */
export async function reconciliationRows(db: Db, campaigns: PeriodCampaign[]): Promise<ReconciliationRow[]> {
  const out: ReconciliationRow[] = [];
  for (const c of campaigns) {
    const prov = (c.provenance ?? {}) as Record<string, Provenance>;
    const items = await itemsBySource(db, c);
    const runs = await loadRuns(db, Object.values(prov).map((p) => p.syncRunId ?? null));
    for (const source of [...new Set([...Object.keys(prov), ...items.keys()])].sort()) {
      const p = prov[source];
      const run = p?.syncRunId ? runs.get(p.syncRunId) : undefined;
      const base = { campaignId: c.id, campaign: c.name, source, syncRunId: p?.syncRunId ?? null, syncedAt: p?.syncedAt ?? run?.finishedAt?.toISOString() ?? null };
      const row = (measure: string, count: number, detail: string | null = null) => out.push({ ...base, measure, detail, count });
      for (const [k, v] of Object.entries(run?.totals ?? {}).sort()) row('idp_total', v, k);
      for (const k of ['people', 'accounts', 'resources', 'grants'] as const) {
        const v = run?.counts[k];
        if (typeof v === 'number') row('sync_count', v, k);
      }
      for (const [k, v] of Object.entries(p?.read ?? {}).sort()) row('read', v, k);
      const excluded = Object.entries(p?.excluded ?? {}).sort();
      const frozen = items.get(source) ?? 0;
      if (p?.liveGrants !== undefined) row('live_grants', p.liveGrants);
      if (p?.inScope !== undefined) row('in_scope', p.inScope);
      for (const [reason, n] of excluded) row('excluded', n, reason);
      row('review_items', frozen);
      if (p?.liveGrants !== undefined && p.inScope !== undefined) {
        const explained = p.inScope + excluded.reduce((s, [, n]) => s + n, 0);
        row('unexplained', p.liveGrants - explained, 'live_grants - in_scope - excluded');
      }
      if (p?.inScope !== undefined) row('items_minus_in_scope', frozen - p.inScope, 'review_items - in_scope');
    }
  }
  return out;
}

async function itemsBySource(db: Db, c: PeriodCampaign): Promise<Map<string, number>> {
  const source = sql<string>`${reviewItem.snapshot}->>'source'`;
  const rows = await db
    .select({ source, n: sql<number>`count(*)::int` })
    .from(reviewItem)
    // Level 1 only: a second-level item is a second look at a grant already counted, not population.
    .where(and(eq(reviewItem.campaignId, c.id), eq(reviewItem.level, 1), inItemWindow(c.itemWindow)))
    .groupBy(source);
  return new Map(rows.map((r) => [r.source ?? 'unknown', Number(r.n)]));
}

async function loadRuns(db: Db, ids: (string | null)[]): Promise<Map<string, SyncRun>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select().from(syncRun).where(inArray(syncRun.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

export const RECONCILIATION_COLUMNS: Column<ReconciliationRow>[] = [
  { header: 'campaign_id', value: (r) => r.campaignId },
  { header: 'campaign', value: (r) => r.campaign },
  { header: 'source', value: (r) => r.source },
  { header: 'sync_run_id', value: (r) => r.syncRunId },
  { header: 'synced_at', value: (r) => r.syncedAt },
  { header: 'measure', value: (r) => r.measure },
  { header: 'detail', value: (r) => r.detail },
  { header: 'count', value: (r) => r.count },
];
