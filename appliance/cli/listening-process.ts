import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/** The process to measure, or why it cannot be: a figure is never guessed. */
export type ProcessLookup = { pid: number } | { pid: null; reason: string };

const LISTEN = '0A';

interface ListeningSocket {
  inode: string;
  uid: number;
}

/** Sockets in the LISTEN state on `port`, from /proc/net/tcp and tcp6. */
function listeningSockets(port: number): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      // A host without IPv6 has no tcp6 table.
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[3] !== LISTEN || parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      sockets.push({ inode: fields[9]!, uid: Number(fields[7]) });
    }
  }
  return sockets;
}

/**
 * The process that listens on TCP `port` of this host: the one holding the listening socket
 * among its open files. Only processes of this user (or all, as root) can be looked into.
 */
export function processListeningOn(port: number): ProcessLookup {
  const sockets = listeningSockets(port);
  if (sockets.length === 0) return { pid: null, reason: `no process on this host listens on TCP port ${port}` };
  const wanted = new Set(sockets.map((socket) => `socket:[${socket.inode}]`));
  for (const name of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${name}/fd`);
    } catch {
      // Another user's process, or one that has just ended.
      continue;
    }
    for (const descriptor of descriptors) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${name}/fd/${descriptor}`);
      } catch {
        continue;
      }
      if (wanted.has(target)) return { pid: Number(name) };
    }
  }
  const owner = sockets[0]!.uid;
  return {
    pid: null,
    reason: owner === os.userInfo().uid
      ? `the process listening on TCP port ${port} could not be found among this user's processes`
      : `TCP port ${port} is held by a process of user id ${owner}, whose open files this user (id ${os.userInfo().uid}) may not read: run the self-test as the appliance's user`,
  };
}
