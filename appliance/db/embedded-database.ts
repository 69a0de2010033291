import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, kept in a folder and served on a
 * loopback port, so the very same pg driver and migrations serve it and a real PostgreSQL.
 */
export class EmbeddedDatabase {
  readonly url: string;
  readonly #db: PGlite;
  readonly #server: PGLiteSocketServer;

  private constructor(db: PGlite, server: PGLiteSocketServer, url: string) {
    this.#db = db;
    this.#server = server;
    this.url = url;
  }

  /** `dataDir` undefined keeps the database in memory (tests). */
  static async start(dataDir: string | undefined): Promise<EmbeddedDatabase> {
    if (dataDir) await fs.mkdir(dataDir, { recursive: true });
    const db = await PGlite.create(dataDir ?? 'memory://');
    // The server multiplexes clients onto PGlite's single session; the appliance keeps its own pool
    // to one connection so that transactions never interleave.
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 4 });
    await server.start();
    const conn = server.getServerConn();
    return new EmbeddedDatabase(db, server, `postgres://postgres@${conn}/postgres?sslmode=disable`);
  }

  async stop(): Promise<void> {
    await this.#server.stop();
    await this.#db.close();
  }
}
