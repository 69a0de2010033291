/**
 * The whole playbook for real on a fresh Debian 12 machine (systemd as PID 1 under systemd-nspawn,
 * on a private veth), driven over SSH with the inventory and vault file a customer writes by
 * ansible/README.md "Install on a server": the play succeeds and ends with the appliance's own
 * self-test, and a second run changes nothing. Then the appliance is used from outside through
 * its nginx and firewall, and once more after the machine has rebooted.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PLAYBOOK_LIMIT_MS, ansibleDir, ansibleEnv, changedTasks, describe, recap, repoRoot, run, scratchDir } from '../ops/helpers.ts';
import { Machine, network, pristineRootfs } from './machine.ts';
import { customerInventory, deploymentSettings } from './inventory.ts';
import { HttpsClient, plainHttpHead, tcpConnects } from './https-client.ts';

/** The first run installs every package, npm ci and Node on a bare machine: minutes on 2 shared cores. */
const FIRST_RUN_LIMIT_MS = 1_500_000;
const host = 'appliance-under-test';

interface Context {
  machine: Machine;
  inventory: string;
  vaultPasswordFile: string;
}

const context = {} as Context;
const scratch = scratchDir('deploy');
/** The plays' whole output and, when one fails, the machine's journal. */
const artifacts = path.join(repoRoot, 'test-artifacts', 'deploy');

async function playbook(name: string, timeoutMs = PLAYBOOK_LIMIT_MS) {
  await context.machine.ensureNetwork();
  const result = await run('ansible-playbook', ['-i', context.inventory, path.join(ansibleDir, 'site.yml'), '--vault-password-file', context.vaultPasswordFile], {
    env: ansibleEnv({ ANSIBLE_HOST_KEY_CHECKING: '0' }),
    timeoutMs,
  });
  writeFileSync(path.join(artifacts, `${name}.log`), `${result.stdout}\n${result.stderr}`);
  if (result.code !== 0) {
    const journal = await context.machine.ssh('journalctl -b --no-pager -n 2000', 60_000);
    writeFileSync(path.join(artifacts, `${name}.journal.log`), journal.stdout + journal.stderr);
  }
  return result;
}

test.before(async (t) => {
  // A first debootstrap on 2 busy cores has taken 9 minutes.
  t.timeout(1_200_000);
  mkdirSync(artifacts, { recursive: true });
  const rootfs = await pristineRootfs((line) => t.log(line));
  const key = path.join(scratch.dir, 'operator-key');
  const keygen = await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'operator', '-f', key]);
  if (keygen.code !== 0) throw new Error(describe(keygen));
  mkdirSync(path.join(scratch.dir, 'machines'));
  context.machine = await Machine.boot(rootfs, path.join(scratch.dir, 'machines'), key);

  const customer = await customerInventory(scratch.dir, { host, address: network.machineIp, sshKey: key, sshOptions: Machine.sshOptions });
  context.inventory = customer.inventory;
  context.vaultPasswordFile = customer.vaultPasswordFile;
});

test.after.always(async () => {
  try {
    await Machine.stopLeftover(path.join(scratch.dir, 'machines'));
  } finally {
    scratch.remove();
  }
});

test.serial('the playbook installs the appliance on a fresh Debian 12 machine and its self-test passes there', async (t) => {
  t.timeout(FIRST_RUN_LIMIT_MS + 60_000);
  const first = await playbook('first-run', FIRST_RUN_LIMIT_MS);
  t.log(`first run ${first.seconds.toFixed(0)} s`);
  t.is(first.code, 0, describe(first, 120));
  const counts = recap(first.stdout, host);
  t.is(counts?.failed, 0, describe(first));
  t.true((counts?.changed ?? 0) > 0);
  // Tasks a real host runs must have run here, not been skipped for want of systemd or a network.
  for (const task of ['appliance : Start the appliance', 'firewall : Enable nftables at boot', 'selftest : Check /healthz through nginx', "selftest : Run the appliance's self-test against the running service"]) {
    t.regex(first.stdout, new RegExp(`TASK \\[${task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\] \\*+\\n(ok|changed): \\[${host}\\]`), `task "${task}" did not run`);
  }
  const state = await context.machine.sshOk('systemctl is-active appliance nginx postgresql nftables');
  t.deepEqual(state.trim().split('\n'), ['active', 'active', 'active', 'active']);
});

test.serial('a second run of the playbook changes nothing', async (t) => {
  t.timeout(PLAYBOOK_LIMIT_MS + 60_000);
  const second = await playbook('second-run');
  t.log(`second run ${second.seconds.toFixed(0)} s`);
  t.is(second.code, 0, describe(second, 120));
  t.is(recap(second.stdout, host)?.changed, 0, `changed: ${changedTasks(second.stdout).join(', ')}\n${describe(second)}`);
});

/** The client of the machine's nginx, trusting the certificate the play made there. */
async function throughNginx(): Promise<HttpsClient> {
  const certificate = await context.machine.sshOk('cat /etc/nginx/tls/appliance.crt');
  return new HttpsClient(network.machineIp, deploymentSettings.appliance_server_name, certificate);
}

test.serial('through nginx over HTTPS the web client loads, with HSTS', async (t) => {
  const client = await throughNginx();
  const page = await client.request('GET', '/');
  t.is(page.status, 200);
  t.regex(String(page.headers['content-type']), /text\/html/);
  t.regex(page.body.toString('utf8'), /<script/);
  t.regex(String(page.headers['strict-transport-security']), /max-age=\d{7,}/, 'no HSTS header through nginx');
  const plain = await plainHttpHead(network.machineIp, '/', deploymentSettings.appliance_server_name);
  t.is(plain.status, 301);
  t.is(plain.headers.location, `https://${deploymentSettings.appliance_server_name}/`);
});

test.serial('through nginx /metrics is refused from outside, in every spelling', async (t) => {
  const client = await throughNginx();
  for (const spelling of ['/metrics', '/METRICS', '/Metrics', '/metrics/', '/metrics?format=text', '//metrics', '/./metrics', '/%6detrics']) {
    const reply = await client.request('GET', spelling);
    t.not(reply.status, 200, `${spelling} answered 200`);
    t.notRegex(reply.body.toString('utf8'), /# (HELP|TYPE) /, `${spelling} gave the metrics away`);
  }
});

/** A command in the installed appliance's directory, as its user with its environment. */
function asAppliance(command: string): string {
  return 'cd /opt/appliance/app && set -a && . /etc/appliance/appliance.env && set +a && ' +
    `runuser -u appliance -- env HOME=/var/lib/appliance PATH=/opt/node/bin:/usr/bin:/bin ${command}`;
}

test.serial('through nginx the console signs in, with a Secure session cookie', async (t) => {
  const email = 'operator@appliance.test';
  const password = randomBytes(18).toString('base64url');
  await context.machine.sshOk(asAppliance(`node --import=tsx appliance/cli/console-admin.ts --email ${email} --password ${password}`));
  const client = await throughNginx();
  const signIn = await client.request('POST', '/admin/login', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password }).toString(),
  });
  t.is(signIn.status, 302, signIn.body.toString('utf8').slice(0, 500));
  t.is(signIn.headers.location, '/admin');
  const cookies = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []);
  t.true(cookies.length > 0, 'no session cookie');
  for (const cookie of cookies) {
    t.regex(cookie, /;\s*Secure/i, `cookie without Secure: ${cookie}`);
    t.regex(cookie, /;\s*HttpOnly/i, `cookie without HttpOnly: ${cookie}`);
  }
  const session = cookies.map((cookie) => cookie.split(';')[0]).join('; ');
  const signedIn = await client.request('GET', '/admin', { headers: { Cookie: session } });
  t.is(signedIn.status, 200);
});

interface LinkedFile {
  kind: string;
  sizeBytes: number;
  url: string;
}

/**
 * The files of the recording the play's self-test made on the appliance, with fresh links asked
 * for through nginx by that recording's first participant (its server lets only participants
 * download), and that participant's token.
 */
async function selftestRecording(client: HttpsClient): Promise<{ files: LinkedFile[]; token: string }> {
  const recordingId = (
    await context.machine.sshOk("runuser -u postgres -- psql -d appliance -Atc \"SELECT id FROM recordings WHERE state = 'ready' ORDER BY started_at DESC LIMIT 1\"")
  ).trim();
  if (!recordingId) throw new Error('the self-test left no finished recording on the appliance');
  const token = (
    await context.machine.sshOk(
      asAppliance(
        "node --import=tsx --input-type=module -e \"const id = await import('./appliance/auth/selftest-identity.ts'); " +
          "console.log(await id.selftestToken(await id.selftestSecret(process.env.DATA_DIR), { sub: 'selftest-1', name: 'x' }, 600))\"",
      ),
    )
  ).trim();
  const links = await client.request('POST', `/api/recordings/${recordingId}/links`, {
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  if (links.status !== 200) throw new Error(`POST /api/recordings/${recordingId}/links through nginx: ${links.status} ${links.body.toString('utf8').slice(0, 500)}`);
  return { files: (JSON.parse(links.body.toString('utf8')) as { files: LinkedFile[] }).files, token };
}

/** Asks nginx for bytes 100-199 of the recording's video, which must come back as a 206 of exactly those. */
async function rangeOfVideo(t: ExecutionContext, client: HttpsClient): Promise<void> {
  const { files, token } = await selftestRecording(client);
  const video = files.find((file) => file.kind === 'video' && file.sizeBytes > 200);
  if (!video) throw new Error(`no video among the recording's files: ${JSON.stringify(files)}`);
  const { pathname, search } = new URL(video.url);
  const part = await client.request('GET', `${pathname}${search}`, { headers: { Authorization: `Bearer ${token}`, Range: 'bytes=100-199' } });
  t.is(part.status, 206, part.body.toString('utf8').slice(0, 500));
  t.is(part.headers['content-range'], `bytes 100-199/${video.sizeBytes}`);
  t.is(part.body.length, 100);
}

test.serial('through nginx a recording made on the appliance downloads with Range', async (t) => {
  await rangeOfVideo(t, await throughNginx());
});

test.serial('nftables lets through SSH, HTTP, HTTPS and the media range only', async (t) => {
  const closedPort = 9999;
  const mediaPort = deploymentSettings.appliance_rtc_max_port;
  const listeners = { 'probe-closed': closedPort, 'probe-media': mediaPort };
  try {
    for (const [unit, port] of Object.entries(listeners)) {
      await context.machine.sshOk(`systemd-run --unit=${unit} python3 -m http.server --bind 0.0.0.0 ${port} && sleep 2 && systemctl is-active ${unit}`);
    }
    // Listening inside is proven from inside; the firewall decides what the host sees.
    t.true(await context.machine.ssh(`python3 -c 'import socket; socket.create_connection(("127.0.0.1", ${closedPort}), 3)'`).then((r) => r.code === 0));
    t.false(await tcpConnects(network.machineIp, closedPort), `port ${closedPort} is reachable through the firewall`);
    t.true(await tcpConnects(network.machineIp, mediaPort), `media port ${mediaPort} (TCP) is not reachable`);
    for (const port of [22, 80, 443]) t.true(await tcpConnects(network.machineIp, port), `port ${port} is not reachable`);
    // The appliance itself and PostgreSQL listen on loopback only.
    for (const port of [deploymentSettings.appliance_port, 5432]) t.false(await tcpConnects(network.machineIp, port), `port ${port} is reachable`);
  } finally {
    await context.machine.ssh(`systemctl stop ${Object.keys(listeners).join(' ')}`);
  }
});

test.serial('systemd-analyze security rates the appliance unit', async (t) => {
  const analysis = await context.machine.ssh('systemd-analyze security --no-pager appliance.service');
  const overall = /Overall exposure level for appliance\.service: ([\d.]+) (\S+)/.exec(analysis.stdout);
  t.truthy(overall, describe(analysis));
  t.log(`systemd-analyze security appliance.service: ${overall?.[1]} ${overall?.[2]}`);
  // MEDIUM and worse start at 5.0.
  t.true(Number(overall?.[1]) < 5, analysis.stdout);
});

test.serial('after systemctl reboot the appliance comes back by itself, its recording intact', async (t) => {
  t.timeout(600_000);
  await context.machine.reboot();
  const client = await throughNginx();
  const until = Date.now() + 180_000;
  let health = await client.request('GET', '/healthz').catch((error: Error) => ({ status: 0, body: Buffer.from(error.message) }));
  while (health.status !== 200 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    health = await client.request('GET', '/healthz').catch((error: Error) => ({ status: 0, body: Buffer.from(error.message) }));
  }
  t.is(health.status, 200, `/healthz after the reboot: ${health.body.toString('utf8').slice(0, 500)}`);
  const state = await context.machine.sshOk('systemctl is-active appliance nginx postgresql nftables');
  t.deepEqual(state.trim().split('\n'), ['active', 'active', 'active', 'active']);
  await rangeOfVideo(t, client);
});
