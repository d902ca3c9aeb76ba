import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { accessRequest } from './request.js';
import { person } from './person.js';

export const TASK_STATUSES = ['open', 'running', 'done', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** One action for one owner within a request: automated (a connector call) or manual. */
export const task = pgTable(
  'task',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    requestId: uuid('request_id')
      .notNull()
      .references(() => accessRequest.id),
    action: text('action').notNull(),
    description: text('description').notNull(),
    automated: boolean('automated').notNull().default(false),
    ownerId: uuid('owner_id').references(() => person.id),
    ownerRole: text('owner_role'),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('open'),
    notBefore: timestamp('not_before', { withTimezone: true, mode: 'date' }),
    deadline: timestamp('deadline', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    /**
     * An automated task `running` is leased until then: a worker that died mid-attempt (a crash,
     * an out-of-memory kill, the shutdown bound) leaves it to be claimed again once this passes.
     */
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }),
    lastError: text('last_error'),
    doneBy: text('done_by'),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
    note: text('note'),
    escalatedAt: timestamp('escalated_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('task_request_idx').on(t.requestId), index('task_owner_idx').on(t.ownerId, t.status)],
);

export type Task = typeof task.$inferSelect;
