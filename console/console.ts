import fs from 'node:fs/promises';
import path from 'node:path';
import AdminJS from 'adminjs';
import { buildAuthenticatedRouter } from '@adminjs/express';
import express from 'express';
import type { Request, Response, Router } from 'express';
import session from 'express-session';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ApplianceConfig } from '../appliance/config.ts';
import type { BotApiKeys } from '../appliance/bot/bot-api-keys.ts';
import type { HealthRegistry } from '../appliance/http/health-registry.ts';
import { ConsoleSession } from '../appliance/db/entities/index.ts';
import { adminsOnlyRoute, refuseAuditorChanges } from './access.ts';
import { auditConsoleAction } from './audit.ts';
import { authenticateConsoleUser } from './auth/console-users.ts';
import { LoginLimiter } from './auth/login-limiter.ts';
import { sessionOptions, sessionSecret } from './auth/session.ts';
import { consoleComponents } from './components/components.ts';
import { dashboardData } from './dashboard/dashboard-data.ts';
import { recordingFileDownload } from './file-download.ts';
import { consoleRequestBodies } from './request-bodies.ts';
import { CONSOLE_LOCALE } from './locale.ts';
import { botApiKeysResource } from './resources/bot-api-keys.ts';
import { botxResources } from './resources/botx.ts';
import { readOnlyResources } from './resources/read-only.ts';
import { recordingModesResource } from './resources/recording-modes.ts';
import { recordingsResource } from './resources/recordings.ts';
import { retentionResources } from './resources/retention.ts';
import { serversResource } from './resources/servers.ts';
import { webhooksResource } from './resources/webhooks.ts';

export const CONSOLE_PATH = '/admin';

export interface ConsoleDeps {
  orm: MikroORM;
  config: Pick<ApplianceConfig, 'dataDir' | 'recordingsDir'>;
  health: HealthRegistry;
  finisher: { repostMessage(recordingId: string): Promise<void> };
  botApiKeys: BotApiKeys;
}

/**
 * The administration console at /admin: AdminJS over the appliance's own entities, behind a sign-in
 * with database sessions. Mount it before any body parser: AdminJS parses its own forms.
 */
export async function buildConsole(deps: ConsoleDeps): Promise<Router> {
  const { orm, config, health } = deps;
  // Outside production AdminJS bundles the components at their first request and from then on serves
  // whatever bundle it finds, however old: one left by an earlier version goes.
  if (process.env.NODE_ENV !== 'production') await fs.rm(path.join(process.env.ADMIN_JS_TMP_DIR || '.adminjs', 'bundle.js'), { force: true });
  const components = consoleComponents();
  const admin = new AdminJS({
    rootPath: CONSOLE_PATH,
    loginPath: `${CONSOLE_PATH}/login`,
    logoutPath: `${CONSOLE_PATH}/logout`,
    componentLoader: components.loader,
    branding: { companyName: 'Консоль записи ВКС', logo: false, withMadeWithLove: false },
    locale: CONSOLE_LOCALE,
    dashboard: {
      component: components.Dashboard,
      handler: async () => dashboardData({ orm, health, recordingsDir: config.recordingsDir }),
    },
    resources: [
      recordingModesResource(orm),
      serversResource(orm),
      recordingsResource({ orm, recordingsDir: config.recordingsDir, finisher: deps.finisher, components }),
      ...retentionResources(orm),
      webhooksResource(orm),
      ...botxResources(orm),
      botApiKeysResource({ orm, keys: deps.botApiKeys, components }),
      ...readOnlyResources(orm),
    ],
  });

  const options = sessionOptions(orm, await sessionSecret(process.env, config.dataDir));
  // The sign-in page's message (tooManyLoginAttempts in locale.ts) names these 15 minutes.
  const limiter = new LoginLimiter({ maxFailures: 5, windowMs: 15 * 60_000 });
  const limiterKey = (req: Request) => `${req.ip}|${String(req.fields?.email ?? '').trim().toLowerCase()}`;

  const router = express.Router();
  // The same session middleware as AdminJS's (which then finds the session made): the guards below
  // run before AdminJS's routes and need to know who is signed in.
  router.use(session(options));
  router.use(consoleRequestBodies());
  router.post('/login', (req: Request, res: Response, next) => {
    const waitMs = limiter.retryAfterMs(limiterKey(req));
    if (waitMs <= 0) return next();
    admin.renderLogin({ action: admin.options.loginPath, errorMessage: 'tooManyLoginAttempts' }).then(
      (page) => res.status(429).set('Retry-After', String(Math.ceil(waitMs / 1000))).send(page),
      next,
    );
  });
  router.post('/api/*', refuseAuditorChanges);
  router.get('/files/:fileId/download', adminsOnlyRoute(admin.options.loginPath), recordingFileDownload(orm, config.recordingsDir));

  return buildAuthenticatedRouter(
    admin,
    {
      cookieName: options.name,
      cookiePassword: options.secret,
      authenticate: async (email, password, context) => {
        const req = context!.req;
        const user = await authenticateConsoleUser(orm, email, password);
        if (!user) {
          limiter.failed(limiterKey(req));
          return null;
        }
        limiter.succeeded(limiterKey(req));
        // A new session id at sign-in, so that an id planted before it is worth nothing after.
        await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
        await orm.em.fork().transactional(async (em) => {
          await em.nativeDelete(ConsoleSession, { expire: { $lt: new Date() } });
          auditConsoleAction(em, user, 'signed_in', { details: { role: user.role } });
        });
        return user;
      },
    },
    router,
    options,
  );
}
