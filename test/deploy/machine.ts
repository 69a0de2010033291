/**
 * A fresh Debian 12 machine for the deployment test: systemd as its PID 1 under systemd-nspawn,
 * on a veth of its own (never the host's network), reached over SSH as a customer's server is.
 * Its root filesystem is built once by debootstrap and cached outside the clone, keyed by what
 * shapes it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, repoRoot, run } from '../ops/helpers.ts';
import type { RunResult } from '../ops/helpers.ts';

const scriptsDir = path.join(repoRoot, 'test', 'deploy', 'machine');

/** The machine's private network: the host's end of the veth and the machine's address. */
export const network = { hostIp: '10.231.0.1', machineIp: '10.231.0.2', prefixLength: 24 };

const networkEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  HOST_IP: network.hostIp,
  MACHINE_IP: network.machineIp,
  PREFIX_LEN: String(network.prefixLength),
});

export class MachineError extends Error {
  constructor(what: string, result?: RunResult) {
    super(result ? `${what}: ${describe(result)}` : what);
    this.name = 'MachineError';
  }
}

function cacheRoot(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'vks-recording-appliance', 'rootfs');
}

/** Everything that shapes the root filesystem: the build scripts, the mirror and apt's settings, the network. */
async function rootfsKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const script of ['build-rootfs.sh', 'apt-mirror.sh']) hash.update(readFileSync(path.join(scriptsDir, script)));
  const mirror = await run('bash', [path.join(scriptsDir, 'apt-mirror.sh')]);
  if (mirror.code !== 0) throw new MachineError('no Debian mirror in the host\'s apt sources', mirror);
  hash.update(mirror.stdout).update(JSON.stringify(network));
  return hash.digest('hex').slice(0, 16);
}

/** The cached pristine root filesystem (a tar), built first if missing. */
export async function pristineRootfs(log: (line: string) => void): Promise<string> {
  const dir = cacheRoot();
  mkdirSync(dir, { recursive: true });
  const tar = path.join(dir, `debian-12-${await rootfsKey()}.tar`);
  if (existsSync(tar)) return tar;
  log(`building the root filesystem ${tar} with debootstrap`);
  const built = await run('bash', [path.join(scriptsDir, 'build-rootfs.sh'), `${tar}.building`], { env: networkEnv(), timeoutMs: 900_000 });
  if (built.code !== 0) throw new MachineError('debootstrap failed', built);
  renameSync(`${tar}.building`, tar);
  log(`root filesystem built in ${built.seconds.toFixed(0)} s`);
  return tar;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class Machine {
  private constructor(
    readonly name: string,
    private readonly stateDir: string,
    private readonly sshKey: string,
  ) {}

  /** Boots a fresh copy of `rootfs`; its account `admin` accepts `sshKey` (private key file; `.pub` beside it). */
  static async boot(rootfs: string, stateDir: string, sshKey: string, name = 'vksdeploy'): Promise<Machine> {
    const machine = new Machine(name, stateDir, sshKey);
    const booted = await run('bash', [path.join(scriptsDir, 'boot.sh'), stateDir, rootfs, name, `${sshKey}.pub`, String(process.pid)], {
      env: networkEnv(),
      timeoutMs: 120_000,
    });
    if (booted.code !== 0) throw new MachineError('the machine did not boot', booted);
    await machine.waitForSsh();
    await machine.ensureNetwork();
    return machine;
  }

  /**
   * Makes the machine's NAT again (idempotent) and checks that the machine reaches the apt mirror
   * through it, so that a lost way out is named here rather than as a failed apt task later.
   */
  async ensureNetwork(): Promise<void> {
    const nat = await run('bash', [path.join(scriptsDir, 'nat.sh'), this.name], { env: networkEnv() });
    if (nat.code !== 0) throw new MachineError(`the machine's NAT (nft table ${this.name}_nat) could not be made`, nat);
    const mirror = new URL((await run('bash', [path.join(scriptsDir, 'apt-mirror.sh')])).stdout.trim());
    const port = Number(mirror.port || (mirror.protocol === 'https:' ? 443 : 80));
    const reached = await this.ssh(`python3 -c 'import socket; socket.create_connection(("${mirror.hostname}", ${port}), 10)'`, 30_000);
    if (reached.code !== 0) {
      throw new MachineError(`the machine does not reach the apt mirror ${mirror.hostname}:${port} through the host (nft table ${this.name}_nat, ip_forward)`, reached);
    }
  }

  get consoleLog(): string {
    const file = path.join(this.stateDir, `${this.name}.console.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  }

  /** OpenSSH options for the machine (a new machine each run: no known host key to keep). */
  static get sshOptions(): string[] {
    return ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=5', '-o', 'BatchMode=yes'];
  }

  /** A shell command on the machine as root (sudo from the operator's account). */
  ssh(command: string, timeoutMs = 120_000): Promise<RunResult> {
    return run('ssh', ['-i', this.sshKey, ...Machine.sshOptions, `admin@${network.machineIp}`, 'sudo', 'bash', '-c', JSON.stringify(command)], { timeoutMs });
  }

  /** Like ssh(), but a non-zero exit is an error. */
  async sshOk(command: string, timeoutMs = 120_000): Promise<string> {
    const result = await this.ssh(command, timeoutMs);
    if (result.code !== 0) throw new MachineError(`on the machine: ${command}`, result);
    return result.stdout;
  }

  /** Waits until SSH answers and systemd has finished booting (running, or degraded with a failed unit). */
  async waitForSsh(limitMs = 120_000): Promise<string> {
    const until = Date.now() + limitMs;
    let last: RunResult | undefined;
    while (Date.now() < until) {
      last = await this.ssh('systemctl is-system-running --wait', 30_000);
      const state = last.stdout.trim();
      if (state === 'running' || state === 'degraded') return state;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new MachineError(`the machine's systemd did not finish booting in ${limitMs / 1000} s\n${this.consoleLog.slice(-3000)}`, last);
  }

  /**
   * `systemctl reboot` inside. nspawn exits when its machine reboots (a host's systemd would start
   * it again); start.sh starts the same root filesystem again on a new veth.
   */
  async reboot(limitMs = 180_000): Promise<void> {
    const pid = Number(readFileSync(path.join(this.stateDir, `${this.name}.nspawn.pid`), 'utf8'));
    await this.ssh('systemctl reboot', 30_000);
    const until = Date.now() + limitMs;
    while (isAlive(pid)) {
      if (Date.now() > until) throw new MachineError(`the machine did not shut down for its reboot in ${limitMs / 1000} s\n${this.consoleLog.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const started = await run('bash', [path.join(scriptsDir, 'start.sh'), this.stateDir, this.name], { env: networkEnv(), timeoutMs: 60_000 });
    if (started.code !== 0) throw new MachineError('the machine did not start again after its reboot', started);
    await this.waitForSsh();
    await this.ensureNetwork();
  }

  /** Powers off and removes everything boot() made; safe after a failed boot. */
  async stop(): Promise<void> {
    const stopped = await run('bash', [path.join(scriptsDir, 'stop.sh'), this.stateDir, this.name], { timeoutMs: 240_000 });
    if (stopped.code !== 0) throw new MachineError('stopping the machine failed', stopped);
  }

  /** Stops a machine of this name left by an earlier boot in `stateDir`, if any. */
  static async stopLeftover(stateDir: string, name = 'vksdeploy'): Promise<void> {
    await new Machine(name, stateDir, '').stop();
  }
}
