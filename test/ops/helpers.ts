import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (two levels above this file). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ansibleDir = path.join(repoRoot, 'ansible');
export const rolesDir = path.join(ansibleDir, 'roles');
export const opsDir = path.join(repoRoot, 'test', 'ops');

/**
 * Ends a hung playbook run rather than timing one: on a 2-core machine also running the media
 * tests, the whole playbook in check mode has taken over 170 s (84 s with less beside it).
 */
export const PLAYBOOK_LIMIT_MS = 420_000;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/**
 * The Debian package that brings each tool (all listed in scripts/apt-packages-test.txt).
 * A missing tool is a failure with this hint, never a skipped test.
 */
const toolPackages: Record<string, string> = {
  'ansible-playbook': 'ansible',
  'ansible-lint': 'ansible-lint',
  vagrant: 'vagrant',
  promtool: 'prometheus',
  nginx: 'nginx',
  nft: 'nftables',
  rsync: 'rsync',
  'dpkg-deb': 'dpkg',
  psql: 'postgresql-client',
  pg_isready: 'postgresql-client',
  'systemd-analyze': 'systemd',
  runuser: 'util-linux',
  openssl: 'openssl',
};

/** Throws a clear error unless `tool` is on PATH. */
export function requireTool(tool: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (found.status !== 0) {
    const pkg = toolPackages[tool] ?? tool;
    throw new Error(
      `${tool} is not installed: install the Debian package "${pkg}" ` +
        `(it is listed in scripts/apt-packages-test.txt; \`npm test\` installs that list)`,
    );
  }
}

/** Runs a command to completion (no shell), collecting its output. */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  requireTool(cmd);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd ?? repoRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 110_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** A readable failure message: the command's exit and the end of its output. */
export function describe(result: RunResult, lines = 60): string {
  const tail = (text: string) => text.trimEnd().split('\n').slice(-lines).join('\n');
  return `exit ${result.code}${result.signal ? ` (${result.signal})` : ''} after ${result.seconds.toFixed(1)} s\n` +
    `--- stdout (end)\n${tail(result.stdout)}\n--- stderr (end)\n${tail(result.stderr)}`;
}

/** A scratch directory, removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Environment for ansible commands: no colours, no cowsay, no retry files, roles from ansible/roles. */
export function ansibleEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_FORCE_COLOR: '0',
    ANSIBLE_NOCOWS: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_ROLES_PATH: rolesDir,
    ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    PY_COLORS: '0',
    NO_COLOR: '1',
    ...extra,
  };
}

export interface Recap {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
}

/** The PLAY RECAP counts of one host from ansible-playbook's output. */
export function recap(stdout: string, host = 'localhost'): Recap | undefined {
  const line = stdout.split('\n').filter((l) => l.startsWith(`${host} `) && l.includes('ok=')).pop();
  if (!line) return undefined;
  const count = (key: string) => Number(new RegExp(`\\b${key}=(\\d+)`).exec(line)?.[1] ?? NaN);
  return { ok: count('ok'), changed: count('changed'), unreachable: count('unreachable'), failed: count('failed'), skipped: count('skipped') };
}

/** Names of the tasks that reported "changed" in ansible-playbook's default output. */
export function changedTasks(stdout: string): string[] {
  const names: string[] = [];
  let task = '';
  for (const line of stdout.split('\n')) {
    const m = /^(?:TASK|RUNNING HANDLER) \[(.+?)\] \*+/.exec(line);
    if (m?.[1]) task = m[1];
    else if (line.startsWith('changed:') && task && names.at(-1) !== task) names.push(task);
  }
  return names;
}
