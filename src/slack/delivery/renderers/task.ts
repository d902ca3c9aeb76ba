import { getTaskCard } from '../../../domain/home/get-task-card.js';
import { readerZone } from '../../../domain/reviews/reader-zone.js';
import { buildTaskMessage, buildTaskOverdueMessage } from '../../views/task-message.js';
import type { Renderer } from '../types.js';
import { payloadIds } from './payload.js';

export function taskThreadKey(taskId: string, personId: string): string {
  return `task:${taskId}:${personId}`;
}

/** `task.assigned`: the owner's DM with `Mark done`; skipped when the task was finished before it went out. */
export const renderTaskAssigned: Renderer = async (deps, row) => {
  const { taskId, personId } = payloadIds(row, 'taskId', 'personId');
  const card = await getTaskCard(deps.db, taskId, personId);
  if (card.status === 'done' || card.status === 'cancelled') return null;
  const tz = readerZone(card.reader?.slackTz, deps.config.TZ);
  return { mode: 'post', threadKey: taskThreadKey(taskId, personId), messages: [buildTaskMessage(card, tz, deps.clock.now())] };
};

/** `task.overdue`: to the owner's manager and HR (one row each, queued by the escalation job). */
export const renderTaskOverdue: Renderer = async (deps, row) => {
  const { taskId } = payloadIds(row, 'taskId');
  const personId = typeof row.payload.personId === 'string' ? row.payload.personId : null;
  const card = await getTaskCard(deps.db, taskId, personId);
  if (card.status === 'done' || card.status === 'cancelled') return null;
  const tz = readerZone(card.reader?.slackTz, deps.config.TZ);
  return { mode: 'post', messages: [buildTaskOverdueMessage(card, tz, deps.clock.now())] };
};
