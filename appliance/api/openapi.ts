import type { ApiRoute } from './api-route.ts';
import { WEBSOCKET_EVENTS } from '../ws/event-catalogue.ts';

const REFUSAL_TEXT: Record<number, string> = {
  400: 'invalid input; `error.field` names the field',
  401: 'no valid token',
  403: 'not allowed; `error.message` says why',
  404: 'no such conference',
  409: 'the action does not fit the current state',
};

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } }, required: ['code', 'message'] } },
};

/** The OpenAPI 3.1 document, generated from the same route table that validates requests. */
export function openApiDocument(routes: ApiRoute[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = `/api${spec.path.replace(/:(\w+)/g, '{$1}')}`;
    const parameters = [...spec.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }));
    const queryProps = (spec.query?.properties ?? {}) as Record<string, unknown>;
    for (const [name, schema] of Object.entries(queryProps)) parameters.push({ name, in: 'query', required: false, schema: schema as never });
    const responses: Record<string, unknown> = { [spec.success.status]: { description: spec.success.description } };
    for (const status of [400, ...(spec.authenticated === false ? [] : [401]), ...(spec.refusals ?? [])]) {
      responses[status] = { description: REFUSAL_TEXT[status], content: { 'application/json': { schema: errorSchema } } };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: spec.body } } } } : {}),
      responses,
      ...(spec.authenticated === false ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Conference recording appliance API', version },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT signed by the user\'s messenger server' } } },
    security: [{ bearer: [] }],
    paths,
    'x-websocket': {
      path: '/ws',
      authentication:
        'the same token, never in the URL: as the subprotocol `bearer.<token>` offered beside `appliance.events` (Sec-WebSocket-Protocol, what browsers can send), or a Bearer header; `?token=` is refused with 401',
      presence:
        'send {"type": "presence", "conferenceId": …} to be present in that conference through this socket: when every such socket of a user has been closed (or has not answered pings) for PRESENCE_GRACE_SECONDS, the user leaves it',
      events: WEBSOCKET_EVENTS,
    },
  };
}
