/**
 * The files a customer writes by ansible/README.md "Install on a server": an inventory with the
 * host and its settings, and the secrets in group_vars/appliances/vault.yml encrypted with
 * ansible-vault. The only additions are how this test reaches its machine (a throw-away SSH key)
 * and the mediasoup worker already built on this host for the same version, which the role copies
 * instead of building it again.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ansibleDir, describe, run } from '../ops/helpers.ts';

export interface CustomerFiles {
  inventory: string;
  vaultPasswordFile: string;
}

/** The host's worker for the pinned mediasoup version (scripts/mediasoup-worker/worker-path.sh, sourced by the test runner). */
export function workerBinary(): string {
  const bin = process.env.MEDIASOUP_WORKER_BIN;
  if (!bin || !existsSync(bin)) throw new Error(`no mediasoup worker at ${bin ?? '(MEDIASOUP_WORKER_BIN unset)'}: run the tests with npm test, whose set-up builds it`);
  return bin;
}

interface SharedSettings {
  appliance_rtc_min_port: number;
  appliance_rtc_max_port: number;
  appliance_port: number;
  appliance_recordings_dir: string;
  appliance_log_level: string;
  monitoring_enabled: boolean;
}

/**
 * Settings the test sets, each listed in ansible/README.md: those it shares with the Vagrant box
 * (ansible/test-settings.json), and the name browsers use.
 */
export const deploymentSettings = {
  ...(JSON.parse(readFileSync(path.join(ansibleDir, 'test-settings.json'), 'utf8')) as SharedSettings),
  appliance_server_name: 'appliance.test',
};

export async function customerInventory(
  dir: string,
  machine: { host: string; address: string; sshKey: string; sshOptions: string[] },
): Promise<CustomerFiles> {
  const inventoryDir = path.join(dir, 'ansible');
  mkdirSync(path.join(inventoryDir, 'group_vars', 'appliances'), { recursive: true });
  const inventory = path.join(inventoryDir, 'inventory.yml');
  const vars = { ...deploymentSettings, appliance_announced_ip: machine.address, appliance_mediasoup_worker_binary: workerBinary() };
  const lines = [
    'appliances:',
    '  hosts:',
    `    ${machine.host}:`,
    `      ansible_host: ${machine.address}`,
    '      ansible_user: admin',
    `      ansible_ssh_private_key_file: ${machine.sshKey}`,
    `      ansible_ssh_common_args: ${JSON.stringify(machine.sshOptions.join(' '))}`,
    '  vars:',
    ...Object.entries(vars).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`),
  ];
  writeFileSync(inventory, `${lines.join('\n')}\n`);

  const vault = path.join(inventoryDir, 'group_vars', 'appliances', 'vault.yml');
  writeFileSync(vault, `appliance_db_password: "${randomBytes(18).toString('base64url')}"\n`, { mode: 0o600 });
  const vaultPasswordFile = path.join(dir, 'vault-password');
  writeFileSync(vaultPasswordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  const encrypted = await run('ansible-vault', ['encrypt', '--vault-password-file', vaultPasswordFile, vault]);
  if (encrypted.code !== 0) throw new Error(`ansible-vault encrypt failed: ${describe(encrypted)}`);
  return { inventory, vaultPasswordFile };
}
