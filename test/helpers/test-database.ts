import path from 'node:path';
import pg from 'pg';

/** The PostgreSQL the tests run against; `.ci/run` and the set-up start it when it is down. */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database of its own for each test file, so files run in parallel without trampling. */
export async function createTestDatabase(testFile: string): Promise<TestDatabase> {
  const base = path.basename(testFile).replace(/\.test\.ts$/, '').replace(/[^a-z0-9]+/gi, '_').toLowerCase();
  const name = `t_${base}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.slice(0, 60);
  await admin((c) => c.query(`create database "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}
