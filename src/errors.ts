/**
 * One error type for every expected failure. `code` decides how each transport answers
 * (HTTP status, CLI exit code, Slack ephemeral); `message` is safe to show the user;
 * `detail` is for logs only.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'FORBIDDEN',
  'CONFLICT',
  'INVALID_INPUT',
  'UPSTREAM_UNAVAILABLE',
  'CONFIG',
  'INTEGRITY',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, opts: { detail?: string; field?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = opts.detail;
    this.field = opts.field;
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** Exit codes scripts can rely on (documented in README). */
export const EXIT_CODES: Record<ErrorCode, number> = {
  INVALID_INPUT: 2,
  NOT_FOUND: 3,
  FORBIDDEN: 4,
  CONFLICT: 5,
  UPSTREAM_UNAVAILABLE: 6,
  CONFIG: 78,
  INTEGRITY: 1,
};

export const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  UPSTREAM_UNAVAILABLE: 503,
  CONFIG: 500,
  INTEGRITY: 500,
};
