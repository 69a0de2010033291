import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { TestAppliance } from '../helpers/test-appliance.ts';

const app = TestAppliance.forFile(test, import.meta.filename);

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Asks Prometheus for one series' value until `done` holds. */
async function queryUntil(prometheus: string, query: string, done: (value: number) => boolean, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const body = (await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { data: { result: Array<{ value: [number, string] }> } };
      last = body.data.result;
      const value = Number(body.data.result[0]?.value[1]);
      if (body.data.result.length > 0 && done(value)) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Prometheus never answered ${query} as expected; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

test('a real Prometheus scrapes the appliance: the target is up and the figures follow what happens', async (t) => {
  const a = app();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'prometheus-'));
  const target = new URL(a.url).host;
  await fs.writeFile(
    path.join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: appliance\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${target}']\n`,
  );
  const port = await freePort();
  const prometheus = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const exited = new Promise((resolve) => prometheus.once('exit', resolve));
  prometheus.once('error', (error) => t.fail(`prometheus could not run (Debian package prometheus): ${error.message}`));
  t.teardown(async () => {
    prometheus.kill('SIGTERM');
    await exited;
    await fs.rm(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  t.is(await queryUntil(url, 'up{job="appliance"}', (v) => v === 1), 1);

  const alice = await a.user(a.servers.corporate, 'alice', 'Алиса');
  const id = (await a.as(alice).post('/api/conferences', { title: 'Под наблюдением' }).expect(201)).body.id;
  await a.as(alice).post(`/api/conferences/${id}/recording/start`).expect(200);
  t.is(await queryUntil(url, 'conferences_active', (v) => v === 1), 1);
  t.is(await queryUntil(url, 'recordings{state="recording"}', (v) => v === 1), 1);
  t.true((await queryUntil(url, 'recordings_disk_free_bytes', (v) => v > 0)) > 0);
  t.true((await queryUntil(url, 'mediasoup_workers', (v) => v >= 1)) >= 1);
  await a.as(alice).post(`/api/conferences/${id}/recording/stop`).expect(200);
  t.is(await queryUntil(url, 'recordings{state="recording"}', (v) => v === 0), 0);
});
