// express-formidable ships no types; the console reads its request bodies with it before AdminJS does.
declare module 'express-formidable' {
  import type { NextFunction, Request, RequestHandler, Response } from 'express';

  export interface FormidableEvent {
    event: string;
    action: (req: Request, res: Response, next: NextFunction, ...parameters: never[]) => void;
  }

  export default function formidable(options?: Record<string, unknown>, events?: FormidableEvent[]): RequestHandler;
}

declare namespace Express {
  interface Request {
    /** Form fields, once express-formidable has parsed them. */
    fields?: Record<string, unknown>;
  }
}
