import net from 'node:net';

/**
 * The network between one browser and the appliance, which a test can cut. While it is cut, bytes
 * go nowhere in either direction and nothing is closed, as when Wi-Fi drops: the appliance's pings
 * go unanswered and the browser hears nothing. When it is back, what was held is delivered (TCP
 * retransmits), and a connection the appliance gave up on meanwhile is reset, as TCP would find it.
 * DevTools' offline emulation proved unreliable for this: a browser's open WebSocket went on answering
 * the appliance's pings through it.
 */
export class CuttableNetwork {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #cut = false;
  readonly #onRestore = new Set<() => void>();

  private constructor(server: net.Server) {
    this.#server = server;
  }

  /** A way to `target` (an http URL) on a port of its own. */
  static async open(target: string): Promise<CuttableNetwork> {
    const { hostname, port } = new URL(target);
    const server = net.createServer();
    const network = new CuttableNetwork(server);
    server.on('connection', (browser) => network.#relay(browser, net.connect(Number(port), hostname)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return network;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`;
  }

  cut(): void {
    this.#cut = true;
  }

  restore(): void {
    this.#cut = false;
    for (const resume of this.#onRestore) resume();
    this.#onRestore.clear();
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #relay(browser: net.Socket, appliance: net.Socket): void {
    for (const socket of [browser, appliance]) {
      this.#sockets.add(socket);
      socket.on('error', () => socket.destroy());
    }
    this.#carry(browser, appliance);
    this.#carry(appliance, browser);
  }

  /** Bytes from `from` to `to`, held while cut; `from` closing closes `to` at once, or once restored. */
  #carry(from: net.Socket, to: net.Socket): void {
    const held: Buffer[] = [];
    from.on('data', (bytes: Buffer) => {
      if (!this.#cut && held.length === 0) return void to.write(bytes);
      held.push(bytes);
      if (held.length === 1) this.#onRestore.add(() => to.write(Buffer.concat(held.splice(0))));
    });
    from.on('close', () => {
      this.#sockets.delete(from);
      // A reset, not an orderly end: the far side learns only that the connection is gone.
      if (this.#cut) this.#onRestore.add(() => to.resetAndDestroy());
      else to.resetAndDestroy();
    });
  }
}
