/**
 * The playbook's templates, rendered by Ansible with the roles' defaults, checked by the tools
 * that read them: promtool (Grafana Agent's scrape and remote-write sections, the dashboard's
 * queries), nginx -t, nft -c, systemd-analyze verify, and the appliance's own config loader.
 */
import anyTest, { type TestFn } from 'ava';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../appliance/config.ts';
import { ansibleDir, ansibleEnv, describe, opsDir, repoRoot, rolesDir, run, scratchDir } from './helpers.ts';

const test = anyTest as TestFn<{ out: string }>;

const dbPassword = 'p@ss/w:rd%+ok=1';
const vars = {
  appliance_source_dir: repoRoot,
  appliance_db_password: dbPassword,
  appliance_announced_ip: '192.0.2.10',
  appliance_server_name: 'rec.example.test',
  // systemd-analyze verify wants ExecStart's binary to exist: the Node 20 of this machine.
  appliance_node_prefix: '/usr',
  monitoring_remote_write_url: 'https://metrics.example.test/api/v1/write',
  monitoring_remote_write_username: 'rec1',
  monitoring_remote_write_password: 's3cret',
  firewall_ssh_sources: ['198.51.100.0/24', '2001:db8::/32'],
  firewall_extra_rules: [{ proto: 'tcp', port: 9100, sources: ['192.0.2.0/24'] }],
};

test.before(async (t) => {
  const scratch = scratchDir('ops-templates');
  const out = scratch.dir;
  mkdirSync(path.join(out, 'tls'));
  writeFileSync(
    path.join(out, 'vars.json'),
    JSON.stringify({ ...vars, roles_dir: rolesDir, out, nginx_tls_dir: path.join(out, 'tls') }),
  );
  const result = await run(
    'ansible-playbook',
    ['-i', 'localhost,', '-c', 'local', path.join(opsDir, 'render-templates.yml'), '-e', `@${path.join(out, 'vars.json')}`],
    { env: ansibleEnv() },
  );
  if (result.code !== 0) {
    scratch.remove();
    throw new Error(`rendering the templates with ansible-playbook failed: ${describe(result)}`);
  }
  t.context.out = out;
  process.on('exit', scratch.remove);
});

test('promtool accepts the Grafana Agent scrape and remote-write sections as a Prometheus config', async (t) => {
  const file = path.join(t.context.out, 'prometheus.yml');
  const result = await run('promtool', ['check', 'config', file]);
  t.is(result.code, 0, describe(result));
  t.regex(result.stdout, /SUCCESS/, describe(result));
  const text = readFileSync(file, 'utf8');
  t.regex(text, /job_name: appliance/);
  t.regex(text, /127\.0\.0\.1:8080/, 'scrapes the appliance directly on its port');
  t.regex(text, /job_name: node/);
  t.regex(text, /127\.0\.0\.1:9100/, 'scrapes the node exporter');
  t.regex(text, /url: https:\/\/metrics\.example\.test\/api\/v1\/write/);
  t.regex(text, /username: rec1/);
});

test('the Grafana Agent configuration is in static mode with the metrics block', (t) => {
  const text = readFileSync(path.join(t.context.out, 'grafana-agent.yaml'), 'utf8');
  t.regex(text, /^metrics:\n {2}wal_directory: /m);
  t.regex(text, /^ {2}configs:\n {4}- name: appliance\n {6}scrape_configs:/m);
});

const requiredMetrics = [
  'conferences_active', 'participants_active', 'mediasoup_workers', 'mediasoup_routers',
  'mediasoup_transports', 'mediasoup_producers', 'mediasoup_consumers', 'recordings',
  'recording_encoder_fps', 'recording_realtime_factor', 'recording_stop_to_link_seconds_bucket',
  'recording_pipeline_failures_total', 'recording_pipeline_restarts_total', 'recordings_disk_free_bytes',
  'process_cpu_seconds_total', 'process_resident_memory_bytes',
];

interface Panel { title?: string; type: string; targets?: { expr: string }[]; panels?: Panel[] }

test('the dashboard charts every appliance metric, and promtool parses all its queries', async (t) => {
  const dashboard = JSON.parse(readFileSync(path.join(ansibleDir, 'dashboards', 'appliance.json'), 'utf8')) as {
    uid: string; title: string; panels: Panel[];
  };
  t.truthy(dashboard.uid);
  const exprs = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).flatMap((p) => (p.targets ?? []).map((x) => x.expr));
  t.true(exprs.length > 20);
  for (const metric of requiredMetrics) {
    t.true(exprs.some((e) => new RegExp(`\\b${metric}\\b`).test(e)), `no panel queries ${metric}`);
  }
  t.true(exprs.some((e) => /histogram_quantile\(0\.95, .*recording_stop_to_link_seconds_bucket/.test(e)), 'p95 of the stop-to-link histogram');
  t.true(exprs.some((e) => /by \(type\) \(mediasoup_transports/.test(e)));
  t.true(exprs.some((e) => /by \(kind\) \(mediasoup_producers/.test(e)));
  t.true(exprs.some((e) => /by \(kind\) \(mediasoup_consumers/.test(e)));
  t.true(exprs.some((e) => /by \(state\) \(recordings\{/.test(e)));

  // Grafana's variables replaced by what they expand to, each query as a recording rule.
  const rules = exprs.map((expr, i) => ({
    record: `dashboard:query_${i}`,
    expr: expr.replaceAll('$__rate_interval', '5m').replaceAll('$__interval', '1m').replaceAll('$instance', '.*'),
  }));
  const file = path.join(t.context.out, 'dashboard-rules.yml');
  // JSON is YAML: promtool reads it as a rules file.
  writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }, null, 2));
  const result = await run('promtool', ['check', 'rules', file]);
  t.is(result.code, 0, describe(result));
  t.regex(result.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`), describe(result));
});

test('nginx -t accepts the site: TLS, WebSocket upgrade on /ws, unbuffered downloads with Range', async (t) => {
  const { out } = t.context;
  const site = path.join(out, 'nginx-site.conf');
  writeFileSync(
    path.join(out, 'nginx.conf'),
    `pid ${out}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n  include ${site};\n}\n`,
  );
  const result = await run('nginx', ['-t', '-q', '-p', out, '-e', 'stderr', '-c', path.join(out, 'nginx.conf')]);
  t.is(result.code, 0, describe(result));
  const text = readFileSync(site, 'utf8');
  t.regex(text, /listen 443 ssl http2/);
  t.regex(text, /location \/ws \{[^}]*proxy_set_header Upgrade\s+\$http_upgrade;[^}]*proxy_set_header Connection \$appliance_connection_upgrade;/s);
  t.regex(text, /location \/ \{[^}]*proxy_buffering off;[^}]*\}/s);
  t.regex(text, /location \/ \{[^}]*proxy_set_header Range\s+\$http_range;[^}]*\}/s);
  t.regex(text, /location = \/admin\/login \{[^}]*client_max_body_size 8k;/s);
  t.regex(text, /server 127\.0\.0\.1:8080;/);
});

test('nft -c accepts the firewall ruleset, which opens HTTPS and the media range for UDP and TCP', async (t) => {
  const file = path.join(t.context.out, 'nftables.conf');
  // By its path: under npm, node_modules/.bin comes first in PATH, and @vercel/nft's CLI there is
  // also called `nft` and exits 0 whatever it is given.
  const result = await run('/usr/sbin/nft', ['-c', '-f', file]);
  t.is(result.code, 0, describe(result));
  const text = readFileSync(file, 'utf8');
  t.regex(text, /policy drop;/);
  t.regex(text, /udp dport 40000-40999 accept/);
  t.regex(text, /tcp dport 40000-40999 accept/);
  t.regex(text, /tcp dport \{ 80, 443 \} accept/);
  t.regex(text, /ip saddr 198\.51\.100\.0\/24 tcp dport 22 accept/);
  t.regex(text, /ip6 saddr 2001:db8::\/32 tcp dport 22 accept/);
});

test('systemd-analyze verify accepts the service unit', async (t) => {
  const file = path.join(t.context.out, 'appliance.service');
  const result = await run('systemd-analyze', ['verify', '--man=false', file]);
  t.is(result.code, 0, describe(result));
  t.is(result.stderr.trim(), '', describe(result));
  const text = readFileSync(file, 'utf8');
  t.regex(text, /^EnvironmentFile=\/etc\/appliance\/appliance\.env$/m);
  t.regex(text, /^ExecStart=\/usr\/bin\/node --import=tsx appliance\/main\.ts$/m);
  t.regex(text, /^User=appliance$/m);
});

/** The KEY='value' lines of the environment file. */
function readEnvFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Z][A-Z0-9_]*)='([^'\n\\]*)'$/.exec(line);
    if (!m) throw new Error(`unexpected line in the environment file: ${line}`);
    env[m[1]!] = m[2]!;
  }
  return env;
}

test('the environment file uses exactly the names appliance/config.ts reads, and it loads', (t) => {
  const env = readEnvFile(path.join(t.context.out, 'appliance.env'));
  const source = readFileSync(path.join(repoRoot, 'appliance', 'config.ts'), 'utf8');
  const configNames = new Set([...source.matchAll(/env(?:\.|, ')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
  t.true(configNames.has('RTC_ANNOUNCED_IP') && configNames.has('DATABASE_URL'), 'config.ts names found');
  // Read by libraries rather than config.ts.
  const others = new Set(['NODE_ENV', 'MEDIASOUP_WORKER_BIN', 'ADMIN_JS_TMP_DIR']);
  for (const name of Object.keys(env)) {
    t.true(configNames.has(name) || others.has(name), `${name} is not a variable appliance/config.ts reads`);
  }

  const config = loadConfig(env);
  t.is(config.port, 8080);
  t.is(config.host, '127.0.0.1');
  t.is(config.publicUrl, 'https://rec.example.test');
  t.is(config.dataDir, '/var/lib/appliance');
  t.is(config.recordingsDir, '/srv/appliance/recordings');
  t.false(config.demo);
  t.deepEqual(config.rtc, { listenIp: '0.0.0.0', announcedIp: '192.0.2.10', minPort: 40000, maxPort: 40999, workers: undefined });
  t.is(config.encoder, 'auto');
  t.is(config.logLevel, 'info');
  const url = new URL(config.databaseUrl!);
  t.is(url.protocol, 'postgres:');
  t.is(decodeURIComponent(url.username), 'appliance');
  t.is(decodeURIComponent(url.password), dbPassword, 'the password survives URL encoding');
  t.is(url.host, '127.0.0.1:5432');
  t.is(url.pathname, '/appliance');
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  t.is(env.MEDIASOUP_WORKER_BIN, `/opt/appliance/mediasoup-worker/${pkg.dependencies.mediasoup}/mediasoup-worker`);
});
