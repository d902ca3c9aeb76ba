const STATUS_NAME: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const DEFAULTS: Record<number, [string, string]> = {
  401: ['authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'],
  403: ['insufficientPermissions', 'Request had insufficient authentication scopes.'],
  429: ['rateLimitExceeded', "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'."],
  500: ['backendError', 'Internal error encountered.'],
  503: ['backendError', 'The service is currently unavailable.'],
};

/** Google's JSON error envelope, as the Directory API sends it. */
export function googleError(code: number, message?: string, reason?: string) {
  const [defReason, defMessage] = DEFAULTS[code] ?? ['badRequest', 'Bad Request'];
  const msg = message ?? defMessage;
  return {
    error: {
      code,
      message: msg,
      errors: [{ message: msg, domain: 'global', reason: reason ?? defReason }],
      status: STATUS_NAME[code] ?? 'UNKNOWN',
    },
  };
}
