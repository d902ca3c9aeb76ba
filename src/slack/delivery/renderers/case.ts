import { findCaseMessages } from '../../../domain/lifecycle/find-case-messages.js';
import { getCase } from '../../../domain/lifecycle/get-case.js';
import { resolvePerson } from '../../../domain/lifecycle/resolve-person.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildCaseMessage } from '../../views/case-message.js';
import { buildOnboardingSummary } from '../../views/onboard-summary.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

type Deps = Parameters<Renderer>[0];

export function caseThreadKey(caseId: string, personId: string): string {
  return `case:${caseId}:${personId}`;
}

async function zoneOf(deps: Deps, personId: string | null): Promise<string> {
  if (!personId) return deps.config.TZ;
  const p = await resolvePerson(deps.db, personId).catch(() => undefined);
  return readerZone(p?.slackTz, deps.config.TZ);
}

/** `case.status`: HR's case message, one per HR recipient, posted under a key so it can be edited. */
export const renderCaseStatus: Renderer = async (deps, row) => {
  const { caseId, personId } = payloadIds(row, 'caseId', 'personId');
  const kase = await getCase(deps.db, caseId);
  const tz = await zoneOf(deps, personId);
  return { mode: 'post', threadKey: caseThreadKey(caseId, personId), messages: [buildCaseMessage(kase, tz, deps.clock.now())] };
};

/**
 * `case.refresh` (queued with no channel): edits the case message in place. A plan updates one
 * thread key, so it targets the HR person who started the case (`requestedBy` = `person:<id>`),
 * else the first case message posted. LIMITATION: when the case went to several HR people (a
 * webhook case), only that one message is refreshed; the others show the case as it was.
 * Nothing posted yet: nothing to do (the pending `case.status` renders current data anyway).
 */
export const renderCaseRefresh: Renderer = async (deps, row) => {
  const { caseId } = payloadIds(row, 'caseId');
  const posted = await findCaseMessages(deps.db, caseId);
  if (posted.length === 0) return null;
  const kase = await getCase(deps.db, caseId);
  const starter = kase.requestedBy.startsWith('person:') ? caseThreadKey(caseId, kase.requestedBy.slice('person:'.length)) : null;
  const target = posted.find((m) => m.threadKey === starter && m.page === 0) ?? posted.find((m) => m.page === 0) ?? posted[0]!;
  const personId = target.threadKey.split(':')[2] ?? null;
  const tz = await zoneOf(deps, personId);
  // The channel is the DM Slack answered with: the row has none, and an update plan needs one.
  return { mode: 'update', threadKey: target.threadKey, channel: target.channel, messages: [buildCaseMessage(kase, tz, deps.clock.now())] };
};

/** `onboarding.summary`: to the manager (or HR when there is none), what day one brings. */
export const renderOnboardingSummary: Renderer = async (deps, row) => {
  const { caseId, personId } = payloadIds(row, 'caseId', 'personId');
  const kase = await getCase(deps.db, caseId);
  return { mode: 'post', messages: [buildOnboardingSummary(kase, await zoneOf(deps, personId))] };
};
