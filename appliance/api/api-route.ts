import type { Request } from 'express';
import type { Actor } from '../domain/index.ts';
import type { JsonSchema } from './request-validation.ts';

export interface RouteInput<Body, Query> {
  actor: Actor;
  params: Record<string, string>;
  body: Body;
  query: Query;
  request: Request;
}

/** One REST endpoint: its schemas drive both the validation and the OpenAPI document. */
export interface ApiRoute<Body = unknown, Query = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express-style path below /api, e.g. `/conferences/:conferenceId/join`. */
  path: string;
  summary: string;
  tag: string;
  /** false for the few routes that need no token. */
  authenticated?: boolean;
  body?: JsonSchema;
  query?: JsonSchema;
  /** Status and description of the success answer. */
  success: { status: number; description: string };
  /** The refusals this route can answer with, for the documentation. */
  refusals?: number[];
  handler(input: RouteInput<Body, Query>): Promise<unknown>;
}

/** Keeps the body and query types of a route tied to its handler. */
export function route<Body = Record<string, never>, Query = Record<string, never>>(spec: ApiRoute<Body, Query>): ApiRoute {
  return spec as unknown as ApiRoute;
}
