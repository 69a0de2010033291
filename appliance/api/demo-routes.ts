import type { ServerKind } from '../domain/index.ts';
import { DEMO_SERVERS, DEMO_USERS, demoToken } from '../auth/demo-identities.ts';
import type { ApiRoute } from './api-route.ts';
import { route } from './api-route.ts';

/** The development sign-in, mounted only in the embedded/demo configuration. */
export function demoRoutes(secret: string): ApiRoute[] {
  return [
    route({
      method: 'get',
      path: '/demo/users',
      summary: 'Demo users of the two demo servers (embedded configuration only)',
      tag: 'demo sign-in',
      authenticated: false,
      success: { status: 200, description: 'users with their server' },
      handler: async () => DEMO_USERS.map((u) => ({ ...u, serverId: DEMO_SERVERS[u.server].id, serverName: DEMO_SERVERS[u.server].name })),
    }),
    route<{ user: string; name?: string; server?: ServerKind }>({
      method: 'post',
      path: '/demo/token',
      summary: 'A token for a demo user, or for any new user of a demo server (embedded configuration only)',
      tag: 'demo sign-in',
      authenticated: false,
      body: {
        type: 'object',
        properties: {
          user: { type: 'string', pattern: '^[a-z0-9._-]{1,64}$' },
          name: { type: 'string', minLength: 1, maxLength: 100 },
          server: { type: 'string', enum: ['corporate', 'regional'] },
        },
        required: ['user'],
        additionalProperties: false,
      },
      success: { status: 200, description: '{ token }' },
      handler: async ({ body }) => {
        const known = DEMO_USERS.find((u) => u.sub === body.user);
        const user = known ?? { sub: body.user, name: body.name ?? body.user, server: body.server ?? 'corporate' };
        return { token: await demoToken(secret, user), user };
      },
    }),
  ];
}
