import type { AccessRequest } from '../../db/schema/index.js';
import type { CaseTask } from './get-case.js';

export interface TimelineEntry {
  at: Date;
  /** `requested`, `effective`, `task.done`, `task.escalated`, `task.fallback`, `verified`, `done`, `closed`. */
  event: string;
  detail: string;
  actor: string | null;
}

/**
 * The case's story in time order, from its rows (what was done, when, by whom) and from the
 * case's own evidence events (when it was carried out and closed). The effective time may be
 * in the future; it is listed where it falls.
 */
export function buildTimeline(
  kase: AccessRequest,
  tasks: CaseTask[],
  events: { at: Date; actor: string; action: string }[],
): TimelineEntry[] {
  const out: TimelineEntry[] = [{ at: kase.createdAt, event: 'requested', detail: `${kase.kind} requested (${kase.origin ?? 'unknown origin'})`, actor: kase.requestedBy }];
  if (kase.effectiveAt) out.push({ at: kase.effectiveAt, event: 'effective', detail: 'effective', actor: null });
  for (const t of tasks) {
    if (t.escalatedAt) out.push({ at: t.escalatedAt, event: 'task.escalated', detail: `overdue: ${t.description}`, actor: null });
    if (t.doneAt) out.push({ at: t.doneAt, event: 'task.done', detail: t.description, actor: t.doneByName ?? t.doneBy });
  }
  const verifiedRequests = new Set<string>();
  for (const t of tasks) {
    if (!t.verifiedAt || verifiedRequests.has(t.requestId)) continue;
    verifiedRequests.add(t.requestId);
    out.push({ at: t.verifiedAt, event: 'verified', detail: `verified by sync: ${t.description}`, actor: null });
  }
  for (const e of events) {
    if (e.action.endsWith('.done')) out.push({ at: e.at, event: 'done', detail: 'every task carried out', actor: e.actor });
    if (e.action.endsWith('.closed')) out.push({ at: e.at, event: 'closed', detail: 'every removal verified', actor: e.actor });
  }
  // Same instant (a sync right after the last task): keep the causal order.
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || RANK.indexOf(a.event) - RANK.indexOf(b.event));
}

const RANK = ['requested', 'effective', 'task.escalated', 'task.done', 'done', 'verified', 'closed'];
