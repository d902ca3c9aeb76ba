import { z } from 'zod';
import { parseJsonBody } from './parse-json-body.js';
import { HR_EVENT_TYPES, type HrEvent } from '../../domain/lifecycle/accept-hr-event.js';
import { parseCaseTime } from '../../domain/lifecycle/parse-case-time.js';
import { isAppError } from '../../errors.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const dateTime = z.string().regex(DATE_TIME, 'must be an ISO 8601 date-time with an offset, such as 2026-11-02T17:00:00Z');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, 'must be a date such as 2026-11-02, or an ISO date-time');
const optionalText = z.string().trim().max(500).nullable().optional();

const schema = z
  .object({
    id: z.string().trim().min(1, 'is required').max(200),
    type: z.enum(HR_EVENT_TYPES, { message: `must be one of ${HR_EVENT_TYPES.join(', ')}` }),
    occurred_at: dateTime,
    employee: z.object({
      email: z.string().trim().email('must be an email address'),
      name: optionalText,
      manager_email: z.string().trim().email('must be an email address').nullable().optional(),
      department: optionalText,
      title: optionalText,
      start_date: date.nullable().optional(),
      effective_at: dateTime.nullable().optional(),
    }),
  })
  .superRefine((b, ctx) => {
    if (b.type !== 'employee.hired') return;
    if (!b.employee.name) ctx.addIssue({ code: 'custom', path: ['employee', 'name'], message: 'is required for employee.hired' });
    if (!b.employee.start_date) ctx.addIssue({ code: 'custom', path: ['employee', 'start_date'], message: 'is required for employee.hired' });
  });

export type ParsedHrEvent = { ok: true; event: HrEvent } | { ok: false; error: string; field: string };

/** The body of POST /hooks/hr, validated; a failure names the first offending field. */
export function parseHrEvent(rawBody: string, tz: string): ParsedHrEvent {
  const parsed = parseJsonBody(rawBody, schema);
  if (!parsed.ok) return parsed;
  const b = parsed.data;
  try {
    const e = b.employee;
    const when = (v: string | null | undefined, field: string) => (v ? parseCaseTime(v, { tz, field }) : null);
    return {
      ok: true,
      event: {
        id: b.id,
        type: b.type,
        occurredAt: parseCaseTime(b.occurred_at, { tz, field: 'occurred_at' }),
        employee: {
          email: e.email.toLowerCase(),
          name: e.name ?? null,
          ...(e.manager_email !== undefined ? { managerEmail: e.manager_email?.toLowerCase() ?? null } : {}),
          ...(e.department !== undefined ? { department: e.department } : {}),
          ...(e.title !== undefined ? { title: e.title } : {}),
          startDate: when(e.start_date, 'employee.start_date'),
          effectiveAt: when(e.effective_at, 'employee.effective_at'),
        },
      },
    };
  } catch (err) {
    if (isAppError(err, 'INVALID_INPUT')) return { ok: false, error: `${err.field} ${err.message}`, field: err.field ?? 'body' };
    throw err;
  }
}
