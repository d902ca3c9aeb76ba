import type { z } from 'zod';

export type ParsedBody<T> = { ok: true; data: T } | { ok: false; error: string; field: string };

/**
 * A webhook's raw body as JSON checked against `schema`. A failure names the first offending
 * field (dotted path), which the route answers as 400 `{error, field}`.
 */
export function parseJsonBody<S extends z.ZodType>(rawBody: string, schema: S): ParsedBody<z.infer<S>> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, error: 'body is not JSON', field: 'body' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
  return { ok: false, error: `${field} ${message}`, field };
}
