/**
 * The whole playbook in check mode against this machine (`-i localhost, -c local --check`).
 * This machine has no systemd, runs PostgreSQL already and has Node 20 in /usr, so the variables
 * say so: services are not managed, Node is the system one, become uses su. Check mode must not
 * change the machine: a snapshot of what the playbook would touch is compared before and after.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PLAYBOOK_LIMIT_MS, ansibleEnv, changedTasks, describe, recap, run, scratchDir } from './helpers.ts';

const watchedFiles = [
  '/etc/passwd', '/etc/group', '/etc/nftables.conf', '/var/lib/dpkg/status',
  '/etc/default/prometheus-node-exporter', '/etc/default/grafana-agent', '/etc/grafana-agent.yaml',
  '/etc/systemd/system/appliance.service', '/etc/nginx/sites-available/appliance.conf',
];
const watchedDirs = [
  '/opt/appliance', '/etc/appliance', '/var/lib/appliance', '/srv/appliance', '/etc/nginx/tls',
  '/etc/nginx/sites-enabled', '/var/cache/appliance-monitoring', '/var/cache/appliance-node',
];

function snapshot(): Record<string, string> {
  const state: Record<string, string> = {};
  for (const file of watchedFiles) {
    state[file] = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent';
  }
  for (const dir of watchedDirs) {
    state[dir] = existsSync(dir) ? readdirSync(dir).sort().join(',') : 'absent';
  }
  return state;
}

/** A stand-in grafana-agent .deb (Debian has none) so that the monitoring role runs too. */
async function fakeAgentDeb(dir: string): Promise<string> {
  const root = path.join(dir, 'grafana-agent');
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    path.join(root, 'DEBIAN', 'control'),
    'Package: grafana-agent\nVersion: 0.0.0-check\nArchitecture: all\nMaintainer: ops tests <ops@example.invalid>\n' +
      'Description: stand-in for the check-mode test\n',
  );
  const deb = path.join(dir, 'grafana-agent.deb');
  const result = await run('dpkg-deb', ['--build', '--root-owner-group', root, deb]);
  if (result.code !== 0) throw new Error(`dpkg-deb failed: ${describe(result)}`);
  return deb;
}

function checkVars(deb: string) {
  return {
    // No systemd on this machine (and check mode starts nothing anyway).
    appliance_manage_services: false,
    // Node 20 is already in /usr here; the role checks its version for real.
    node_source: 'system',
    appliance_node_prefix: '/usr',
    // No sudo here; root switches to postgres/appliance with su.
    ansible_become_method: 'su',
    appliance_db_password: 'check-mode-only-password',
    appliance_server_name: 'localhost',
    monitoring_enabled: true,
    monitoring_remote_write_url: 'http://127.0.0.1:9/api/v1/write',
    monitoring_grafana_agent_deb: deb,
  };
}

test('check mode against localhost succeeds and changes nothing', async (t) => {
  // The playbook may take up to its own limit below, longer than the suite's default.
  t.timeout(PLAYBOOK_LIMIT_MS + 10_000);
  const scratch = scratchDir('ops-check');
  t.teardown(scratch.remove);
  const deb = await fakeAgentDeb(scratch.dir);
  const varsFile = path.join(scratch.dir, 'vars.json');
  writeFileSync(varsFile, JSON.stringify(checkVars(deb)));

  const before = snapshot();
  const result = await run(
    'ansible-playbook',
    ['-i', 'localhost,', '-c', 'local', '--check', 'ansible/site.yml', '-e', `@${varsFile}`],
    { env: ansibleEnv(), timeoutMs: PLAYBOOK_LIMIT_MS },
  );
  const after = snapshot();
  t.log(`check mode took ${result.seconds.toFixed(1)} s`);

  t.is(result.code, 0, describe(result));
  const counts = recap(result.stdout);
  t.truthy(counts, describe(result));
  t.is(counts!.failed, 0, describe(result));
  t.is(counts!.unreachable, 0, describe(result));
  t.deepEqual(after, before, 'check mode changed the machine');

  // Real read-only work happened: Node's version was read, PostgreSQL was asked.
  t.regex(result.stdout, /Node\.js v20\.\d+\.\d+ at \/usr/, describe(result));
  t.regex(result.stdout, /TASK \[postgresql : Create the appliance's database user\][^\n]*\n(ok|changed): \[localhost\]/, describe(result));
  // What a first real run would do.
  const changed = changedTasks(result.stdout);
  for (const task of [
    'appliance : Create the service user',
    "appliance : Copy the appliance's sources",
    'appliance : Write the environment file',
    'appliance : Write the systemd unit',
    "nginx : Write the appliance's site",
    'firewall : Write the ruleset',
    'monitoring : Write the Grafana Agent configuration',
  ]) {
    t.true(changed.includes(task), `check mode should report "${task}" as a change; changed: ${changed.join('; ')}`);
  }
});

test('check mode stops at once without the database password', async (t) => {
  const scratch = scratchDir('ops-check-nopw');
  t.teardown(scratch.remove);
  const varsFile = path.join(scratch.dir, 'vars.json');
  writeFileSync(varsFile, JSON.stringify({ ...checkVars('unused.deb'), appliance_db_password: '' }));
  const result = await run(
    'ansible-playbook',
    ['-i', 'localhost,', '-c', 'local', '--check', 'ansible/site.yml', '-e', `@${varsFile}`],
    { env: ansibleEnv() },
  );
  t.is(result.code, 2, describe(result));
  t.regex(result.stdout, /Set appliance_db_password/, describe(result));
  t.is(recap(result.stdout)?.failed, 1, describe(result));
});
