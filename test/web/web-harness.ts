import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, FAKE_DEVICE_FLAG } from '../helpers/chromium.ts';
import type { TestUser } from '../helpers/test-appliance.ts';

const FLAGS = [...CHROMIUM_FLAGS, FAKE_DEVICE_FLAG];

export const DESKTOP = { width: 1280, height: 720 };
export const PHONE = { width: 360, height: 740 };

export const ARTIFACTS = path.join(import.meta.dirname, '..', '..', 'test-artifacts', 'web');

export interface BrowserOptions {
  viewport?: { width: number; height: number };
  /** The user refuses the camera and microphone (the browser's own prompt answered "block"). */
  denyDevices?: boolean;
}

/**
 * One person at the web client: their own browser with a fresh profile, the fake camera (a test
 * pattern with a clock) and microphone (a beep), signed in with the token the messenger gave them.
 */
export class Person {
  readonly name: string;
  readonly page: Page;
  readonly #context: BrowserContext;
  readonly #profile: string;

  private constructor(name: string, context: BrowserContext, page: Page, profile: string) {
    this.name = name;
    this.#context = context;
    this.page = page;
    this.#profile = profile;
  }

  static async open(baseUrl: string, user: TestUser | null, options: BrowserOptions = {}): Promise<Person> {
    const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'web-client-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...FLAGS, options.denyDevices ? '--use-fake-ui-for-media-stream=deny' : '--use-fake-ui-for-media-stream'],
      viewport: options.viewport ?? DESKTOP,
      baseURL: baseUrl,
    });
    // Keeps every peer connection the page makes, to read the bytes its consumers received.
    await context.addInitScript(() => {
      const Native = window.RTCPeerConnection;
      const seen: RTCPeerConnection[] = [];
      Object.assign(window, { peerConnections: seen });
      window.RTCPeerConnection = class extends Native {
        constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
          super(...args);
          seen.push(this);
        }
      };
    });
    // And every notice shown, however briefly.
    await context.addInitScript(() => {
      const shown: string[] = [];
      Object.assign(window, { noticesShown: shown });
      new MutationObserver((records) => {
        for (const record of records) for (const node of record.addedNodes) if (node instanceof HTMLElement && node.classList.contains('notice')) shown.push(node.textContent ?? '');
      }).observe(document, { childList: true, subtree: true });
    });
    if (user) await context.addInitScript((token) => localStorage.getItem('appliance.token') ?? localStorage.setItem('appliance.token', token), user.token);
    const page = context.pages()[0] ?? (await context.newPage());
    return new Person(user?.name ?? 'anonymous', context, page, profile);
  }

  /** Another window of the same browser (same profile: shared localStorage, its own sessionStorage). */
  openWindow(): Promise<Page> {
    return this.#context.newPage();
  }

  async close(): Promise<void> {
    await this.#context.close();
    await fs.rm(this.#profile, { recursive: true, force: true });
  }

  /**
   * The browser crashes: SIGKILL to its whole process group (Playwright starts it as a group
   * leader), so no page says goodbye and the kernel closes the sockets, as it would on a crash.
   */
  async kill(): Promise<void> {
    const flag = `--user-data-dir=${this.#profile}`;
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const args = await fs.readFile(`/proc/${entry}/cmdline`, 'utf8').then((text) => text.split('\0'), (): string[] => []);
      // The browser process itself: its children carry a --type of their own.
      if (args.includes(flag) && !args.some((arg) => arg.startsWith('--type='))) return void process.kill(-Number(entry), 'SIGKILL');
    }
    throw new Error(`no browser process runs with the profile ${this.#profile}`);
  }

  async screenshot(name: string): Promise<void> {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  }

  // What the person sees, found the way they find it: by role and visible name.
  get timer(): Locator {
    return this.page.locator('.timer');
  }

  noticesShown(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { noticesShown: string[] }).noticesShown);
  }

  dialog(title: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name: title });
  }

  tile(name: string): Locator {
    return this.page.locator('.tile', { hasText: name });
  }

  participant(name: string): Locator {
    return this.page.locator('.participant', { hasText: name });
  }

  async openPanel(panel: 'participants' | 'chat'): Promise<void> {
    const toggle = this.page.locator(`[data-panel="${panel}"]`);
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  async conferenceMenu(item: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Меню конференции' }).click();
    await this.page.getByRole('menuitem', { name: item }).click();
  }

  /**
   * Remote video that is decoding frames, and bytes arriving on every inbound RTP stream; with the
   * connections' states and the notices shown, so that a wait that fails says what the page saw.
   */
  async receivedMedia(): Promise<{ framesByName: Record<string, number>; inbound: Array<{ kind: string; bytes: number }>; connections: string[]; notices: string[] }> {
    return this.page.evaluate(async () => {
      const framesByName: Record<string, number> = {};
      for (const tile of document.querySelectorAll<HTMLElement>('.tile:not(.tile-self)')) {
        const video = tile.querySelector('video')!;
        framesByName[tile.querySelector('.tile-name')!.textContent!] = video.getVideoPlaybackQuality().totalVideoFrames;
      }
      const inbound: Array<{ kind: string; bytes: number }> = [];
      const { peerConnections, noticesShown } = window as unknown as { peerConnections: RTCPeerConnection[]; noticesShown: string[] };
      const connections = peerConnections.map((pc) => pc.connectionState);
      for (const pc of peerConnections) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((report: { type: string; kind: string; bytesReceived: number }) => {
          if (report.type === 'inbound-rtp') inbound.push({ kind: report.kind, bytes: report.bytesReceived });
        });
      }
      return { framesByName, inbound, connections, notices: noticesShown };
    });
  }
}

/**
 * Looks again and again (as a person would, a moment later) until `accept` likes what `look` sees;
 * then returns it. Fails naming `what` and the last thing seen.
 */
export async function until<T>(what: string, look: () => Promise<T>, accept: (seen: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await look();
    if (accept(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(seen)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
