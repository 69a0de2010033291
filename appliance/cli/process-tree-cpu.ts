import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** CPU seconds of the appliance's process tree, by part. */
export interface CpuSeconds {
  applianceProcess: number;
  sfuWorkers: number;
  recordingPipelines: number;
}

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime: the process's own threads. */
  own: number;
  /** cutime + cstime: its children that have exited and been waited for, with theirs. */
  reaped: number;
}

type Part = keyof CpuSeconds;

export const CPU_METHOD =
  'utime+stime of the appliance process and of every process below it from /proc/<pid>/stat, plus cutime+cstime of each (children that exited and were reaped in the window); mediasoup-worker processes count as SFU workers, other children as recording pipelines; the synthetic senders and the self-test itself are left out';

/**
 * CPU time of a process and everything below it, read from /proc. Each process counts its own
 * threads and its reaped children, so a pipeline process that ends within the window is counted
 * through its parent, once. The subtrees of `excludedPids` (the synthetic senders, which stand for
 * the participants) and of the self-test's own process, when it runs below the appliance's, are
 * left out.
 */
export class ProcessTreeCpu {
  readonly pid: number;
  readonly #ticksPerSecond: number;
  readonly #excluded: Set<number>;
  #start: Record<Part, number>;

  private constructor(pid: number, ticksPerSecond: number, excluded: Set<number>) {
    this.pid = pid;
    this.#ticksPerSecond = ticksPerSecond;
    this.#excluded = excluded;
    this.#start = this.#read();
  }

  static async create(pid: number, excludedPids: Iterable<number>): Promise<ProcessTreeCpu> {
    const { stdout } = await run('getconf', ['CLK_TCK']);
    return new ProcessTreeCpu(pid, Number(stdout.trim()), new Set([...excludedPids, ...selfBelow(pid)]));
  }

  begin(): void {
    this.#start = this.#read();
  }

  /** Seconds since `begin()`. */
  elapsed(): CpuSeconds {
    const now = this.#read();
    const seconds = (part: Part) => Number(((now[part] - this.#start[part]) / this.#ticksPerSecond).toFixed(3));
    return { applianceProcess: seconds('applianceProcess'), sfuWorkers: seconds('sfuWorkers'), recordingPipelines: seconds('recordingPipelines') };
  }

  #read(): Record<Part, number> {
    const processes = allProcesses();
    const children = new Map<number, ProcStat[]>();
    for (const stat of processes) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
    const ticks: Record<Part, number> = { applianceProcess: 0, sfuWorkers: 0, recordingPipelines: 0 };
    const root = processes.find((stat) => stat.pid === this.pid);
    if (!root) return ticks;
    ticks.applianceProcess = root.own;
    // What the appliance itself has reaped were its recording pipelines: the SFU workers live as long as it does.
    ticks.recordingPipelines = root.reaped;
    const below = [...(children.get(root.pid) ?? [])];
    for (let stat = below.pop(); stat; stat = below.pop()) {
      if (this.#excluded.has(stat.pid)) continue;
      ticks[stat.comm.startsWith('mediasoup') ? 'sfuWorkers' : 'recordingPipelines'] += stat.own + stat.reaped;
      below.push(...(children.get(stat.pid) ?? []));
    }
    return ticks;
  }
}

/** This process and its ancestors below `pid`, when it runs inside that tree (a test hosting the appliance). */
function selfBelow(pid: number): number[] {
  const chain: number[] = [];
  for (let current = readStat(process.pid); current && current.pid !== pid; current = current.ppid > 0 ? readStat(current.ppid) : undefined) {
    chain.push(current.pid);
    if (current.ppid === pid) return chain;
  }
  return [];
}

function allProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // Gone between listing and reading.
    return undefined;
  }
  // The command name is in parentheses and may hold spaces; the numeric fields follow it.
  const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  return { pid, comm, ppid: fields[1]!, own: fields[11]! + fields[12]!, reaped: fields[13]! + fields[14]! };
}
