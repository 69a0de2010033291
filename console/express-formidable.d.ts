// express-formidable ships no types; the console uses it only to read the sign-in form early.
declare module 'express-formidable' {
  import type { RequestHandler } from 'express';

  export default function formidable(options?: Record<string, unknown>): RequestHandler;
}

declare namespace Express {
  interface Request {
    /** Form fields, once express-formidable has parsed them. */
    fields?: Record<string, unknown>;
  }
}
