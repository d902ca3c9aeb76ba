import type { ServerResponse } from 'node:http';
import { HTTP_STATUS, isAppError } from '../errors.js';
import type { Logger } from '../logger.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * The one place an error becomes an HTTP answer: an AppError's code picks the status and its
 * message (written for the caller) is the body, with the field for a 400; anything else is a
 * bug, logged, and answered 500 without detail.
 */
export function sendError(res: ServerResponse, err: unknown, logger: Logger): void {
  if (res.headersSent) {
    logger.error({ err }, 'http handler failed after answering');
    res.destroy();
    return;
  }
  if (isAppError(err)) {
    const body = err.field ? { error: err.message, field: err.field } : { error: err.message };
    sendJson(res, HTTP_STATUS[err.code], body);
    return;
  }
  logger.error({ err }, 'http handler failed');
  sendJson(res, 500, { error: 'internal error' });
}
