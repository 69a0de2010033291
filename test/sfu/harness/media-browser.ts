import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { MediaMethod, MediaRequests } from '../../../appliance/sfu/signalling-protocol.ts';
import { websocketProtocols } from '../../../appliance/ws/websocket-protocol.ts';
import { CHROMIUM, CHROMIUM_FLAGS, FAKE_DEVICE_FLAG } from '../../helpers/chromium.ts';
import type { TestUser } from '../../helpers/test-appliance.ts';
import type { PageStatus } from './media-page.ts';

// Fake camera and microphone, and no permission prompts.
const FLAGS = [...CHROMIUM_FLAGS, FAKE_DEVICE_FLAG, '--use-fake-ui-for-media-stream'];

async function bundlePage(): Promise<string> {
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'media-page.ts');
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'error' });
  return result.outputFiles[0]!.text;
}

/**
 * Serves the bundled page on 127.0.0.1: a secure context (getUserMedia needs one) on a local
 * address, from which Chromium's local-network checks let it reach the appliance's WebSocket.
 */
async function servePage(script: string): Promise<http.Server> {
  const html = `<!doctype html><meta charset="utf-8"><body><script>${script.replaceAll('</script', '<\\/script')}</script></body>`;
  const server = http.createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** One headless Chromium (with a fresh profile, which playwright makes for every launch); a context per user. */
export class MediaBrowser {
  readonly #browser: Browser;
  readonly #server: http.Server;

  private constructor(browser: Browser, server: http.Server) {
    this.#browser = browser;
    this.#server = server;
  }

  static async launch(): Promise<MediaBrowser> {
    const [server, browser] = await Promise.all([bundlePage().then(servePage), chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS })]);
    return new MediaBrowser(browser, server);
  }

  /** A page signed in as `user`, connected to the appliance's WebSocket, with its camera on. */
  async open(user: TestUser, applianceUrl: string): Promise<MediaPage> {
    const context = await this.#browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`);
    const url = `${applianceUrl.replace(/^http/, 'ws')}/ws`;
    await page.evaluate(([url, protocols]) => window.mediaHarness.connect(url, protocols), [url, websocketProtocols(user.token)] as const);
    return new MediaPage(context, page);
  }

  async close(): Promise<void> {
    await this.#browser.close();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

export class MediaPage {
  readonly #context: BrowserContext;
  readonly page: Page;

  constructor(context: BrowserContext, page: Page) {
    this.#context = context;
    this.page = page;
  }

  join(conferenceId: string): Promise<void> {
    return this.page.evaluate((id) => window.mediaHarness.join(id), conferenceId);
  }

  /** Sends one request as is and answers the error code, or 'ok'. */
  attempt<M extends MediaMethod>(method: M, params: MediaRequests[M]['params']): Promise<string> {
    return this.page.evaluate(({ method, params }) => window.mediaHarness.attempt(method, params), { method, params } as { method: MediaMethod; params: never });
  }

  status(): Promise<PageStatus> {
    return this.page.evaluate(() => window.mediaHarness.status());
  }

  /** Polls the page's status until `done` holds; fails with the last status seen. */
  async waitFor(what: string, done: (status: PageStatus) => boolean, timeoutMs = 20_000): Promise<PageStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.status();
      if (done(status)) return status;
      if (Date.now() > deadline) throw new Error(`page: no ${what} within ${timeoutMs} ms; last status: ${JSON.stringify({ ...status, events: status.events.map((e) => e.type) })}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Like closing the tab; safe to call again. */
  async close(): Promise<void> {
    if (this.page.isClosed()) return;
    await this.#context.close();
  }
}
