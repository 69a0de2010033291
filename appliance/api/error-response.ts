import type { ErrorRequestHandler, Response } from 'express';
import { DomainError } from '../domain/index.ts';
import { UnauthenticatedError } from '../auth/errors.ts';

const STATUS: Record<DomainError['code'], number> = { invalid: 400, forbidden: 403, not_found: 404, conflict: 409, confirmation_pending: 409, limit_reached: 429 };

export function sendError(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ error: { code, message, ...(field ? { field } : {}) } });
}

/** Every failure leaves as `{"error": {"code", "message"}}`: never a stack trace. */
export const errorResponder: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  if (error instanceof DomainError) return sendError(res, STATUS[error.code], error.code, error.message, error.field);
  if (error instanceof UnauthenticatedError) {
    res.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(res, 401, 'unauthenticated', error.message);
  }
  // body-parser's own refusals: malformed JSON, oversized or wrongly typed bodies.
  if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500 && typeof error.type === 'string') {
    const message = error.type === 'entity.parse.failed' ? 'the body is not valid JSON' : error.type === 'entity.too.large' ? 'the body is too large' : String(error.message);
    return sendError(res, error.status, 'invalid', message);
  }
  console.error('unexpected error:', error);
  sendError(res, 500, 'internal', 'the appliance failed to handle this request; it has been logged');
};
