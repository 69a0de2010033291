import type { NextFunction, Request, Response } from 'express';
import formidable from 'express-formidable';
import { sendError } from '../appliance/api/error-response.ts';
import { signedIn as signedInAdmin } from './access.ts';

/** The sign-in form: an e-mail and a password, URL-encoded as the sign-in page posts it. */
export const SIGN_IN_BODY_LIMIT = 8 * 1024;
/** A signed-in user's forms: none of the console's resources takes files. */
export const SIGNED_IN_BODY_LIMIT = 1024 * 1024;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'application/json'];

class BodyRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const tooLarge = (limit: number) => new BodyRefusal(413, 'body_too_large', `Запрос больше ${Math.round(limit / 1024)} КБ: консоль его не принимает`);

/** Any part with a file name, whatever its size: the parser would write it to disk first. */
function refuseFileParts(this: { handlePart(part: unknown): void; _error(error: Error): void }, part: { filename?: string }): void {
  if (part.filename === undefined) this.handlePart(part);
  else this._error(new BodyRefusal(415, 'files_not_accepted', 'Консоль не принимает файлы'));
}

function refuse(res: Response, refusal: BodyRefusal): void {
  if (res.headersSent) return;
  // The rest of the body is not worth reading: the connection ends with this answer.
  res.set('Connection', 'close');
  sendError(res, refusal.status, refusal.code, refusal.message);
}

/**
 * Reads the console's request bodies before AdminJS does (its own parser then finds them read and
 * does nothing): nothing before sign-in but the sign-in form, a size limit for each, counted on the
 * wire whatever Content-Length says, and no file parts, so nothing is ever written to disk.
 */
export function consoleRequestBodies() {
  const parse = (limit: number) =>
    formidable({ maxFieldsSize: limit, maxFields: 200, onPart: refuseFileParts }, [
      {
        event: 'error',
        action: (_req: Request, res: Response, next: NextFunction, error: Error) => {
          if (error instanceof BodyRefusal) refuse(res, error);
          else if (/maxFieldsSize|maxFields/.test(error.message)) refuse(res, tooLarge(limit));
          else next(new BodyRefusal(400, 'invalid', 'Тело запроса не разобрать'));
        },
      },
    ]);
  const signIn = parse(SIGN_IN_BODY_LIMIT);
  const signedIn = parse(SIGNED_IN_BODY_LIMIT);

  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    const isSignIn = req.method === 'POST' && req.path === '/login';
    const isSignedIn = signedInAdmin(req) !== undefined;
    if (!hasBody || (!isSignIn && !isSignedIn)) {
      // Unread: the sign-in check that follows answers without it.
      Object.assign(req, { fields: {}, files: {}, express_formidable: { parsed: true } });
      return next();
    }
    const limit = isSignedIn ? SIGNED_IN_BODY_LIMIT : SIGN_IN_BODY_LIMIT;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const allowed = isSignedIn ? FORM_TYPES : FORM_TYPES.slice(0, 1);
    if (!allowed.includes(type)) return refuse(res, new BodyRefusal(415, 'unsupported_body', `Консоль принимает здесь только ${allowed.join(', ')}`));
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse(res, tooLarge(limit));
    // A chunked body has no length to check first: its bytes are counted as they come.
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit || res.headersSent) return;
      // The parser hears no more of it; what still arrives is dropped until the answer is out.
      req.removeAllListeners('data');
      res.once('finish', () => req.destroy());
      refuse(res, tooLarge(limit));
    });
    (isSignedIn ? signedIn : signIn)(req, res, next);
  };
}
