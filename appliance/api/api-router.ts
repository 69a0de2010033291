import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Actor } from '../domain/index.ts';
import { InvalidInputError } from '../domain/index.ts';
import type { ApiRoute } from './api-route.ts';
import { sendError } from './error-response.ts';
import { compileValidator } from './request-validation.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function bearerToken(req: Pick<Request, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return undefined;
}

/** Mounts the route table: authentication, then validation of path, query and body, then the handler. */
export function apiRouter(routes: ApiRoute[], authenticator: Authenticator): Router {
  const router = express.Router();
  router.use(express.json({ limit: '64kb' }));
  for (const spec of routes) {
    const validateBody = spec.body ? compileValidator(spec.body, 'body') : undefined;
    const validateQuery = spec.query ? compileValidator(spec.query, 'query') : undefined;
    router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const actor: Actor = spec.authenticated === false ? (undefined as unknown as Actor) : await authenticator.authenticate(bearerToken(req));
        for (const [name, value] of Object.entries(req.params)) {
          if (name.endsWith('Id') && !UUID.test(value)) throw new InvalidInputError(`path parameter "${name}" must be a UUID`, name);
        }
        const query = coerceQuery(req.query as Record<string, unknown>, spec.query);
        validateQuery?.(query);
        const body = spec.method === 'get' ? {} : (req.body ?? {});
        validateBody?.(body);
        const result = await spec.handler({ actor, params: req.params, body, query, request: req });
        res.status(spec.success.status).json(result ?? {});
      } catch (error) {
        next(error);
      }
    });
  }
  router.use((_req, res) => sendError(res, 404, 'not_found', 'no such API endpoint'));
  return router;
}

/** Query strings carry only text: turn the values an integer schema expects into numbers first. */
function coerceQuery(query: Record<string, unknown>, schema: ApiRoute['query']): Record<string, unknown> {
  const properties = (schema?.properties ?? {}) as Record<string, { type?: string }>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    out[key] = properties[key]?.type === 'integer' && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return out;
}
