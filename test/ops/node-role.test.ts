/**
 * roles/node for real, every path in a scratch directory: Node 20 from the npm registry's
 * node-linux-<arch> package (fetched with npm pack, sha512 checked), npm 11 beside it, and a
 * second run that changes nothing. Then the tarball mode with the archive from the first run.
 * Needs the npm registry, as `npm ci` does.
 */
import test from 'ava';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PLAYBOOK_LIMIT_MS, ansibleEnv, describe, opsDir, recap, run, scratchDir } from './helpers.ts';

const nodeVersion = '20.20.2';
const npmVersion = '11.19.1';

async function nodeRole(varsFile: string) {
  return run('ansible-playbook', ['-i', 'localhost,', '-c', 'local', path.join(opsDir, 'node-role.yml'), '-e', `@${varsFile}`], {
    env: ansibleEnv(),
    timeoutMs: PLAYBOOK_LIMIT_MS,
  });
}

test.serial('the node role installs Node 20 and npm 11 from the npm registry, and a second run changes nothing', async (t) => {
  // Three playbook runs, each allowed its own limit, are more than the suite's default.
  t.timeout(3 * PLAYBOOK_LIMIT_MS + 10_000);
  const scratch = scratchDir('ops-node');
  t.teardown(scratch.remove);
  const root = scratch.dir;
  mkdirSync(path.join(root, 'bin'));
  const vars = {
    node_source: 'npm',
    node_install_root: path.join(root, 'opt'),
    appliance_node_prefix: path.join(root, 'opt', 'node'),
    // The site's npm configuration is the common role's; the role alone gets the host's own.
    appliance_npmrc: '/etc/npmrc',
    node_cache_dir: path.join(root, 'cache'),
    node_link_dir: path.join(root, 'bin'),
  };
  const varsFile = path.join(root, 'vars.json');
  writeFileSync(varsFile, JSON.stringify(vars));

  const first = await nodeRole(varsFile);
  t.is(first.code, 0, describe(first));
  t.true((recap(first.stdout)?.changed ?? 0) > 0, describe(first));
  t.log(`first run ${first.seconds.toFixed(1)} s`);

  const second = await nodeRole(varsFile);
  t.is(second.code, 0, describe(second));
  t.is(recap(second.stdout)?.changed, 0, `second run changed something:\n${describe(second)}`);
  t.log(`second run ${second.seconds.toFixed(1)} s`);

  const env = { ...process.env, PATH: `${path.join(root, 'bin')}:${process.env.PATH}` };
  const node = await run(path.join(root, 'bin', 'node'), ['--version'], { env });
  t.is(node.stdout.trim(), `v${nodeVersion}`, describe(node));
  const npm = await run(path.join(root, 'bin', 'npm'), ['--version'], { env });
  t.is(npm.stdout.trim(), npmVersion, describe(npm));
  // node-gyp builds gstreamer-superficial against these headers (npm_config_nodedir).
  t.true(existsSync(path.join(root, 'opt', 'node', 'include', 'node', 'common.gypi')));

  // Tarball mode: the operator hands over an archive; here the one fetched above.
  const archive = readdirSync(path.join(root, 'cache')).find((f) => f.startsWith('node-linux-'));
  t.truthy(archive);
  const tarballVars = {
    ...vars,
    node_source: 'tarball',
    node_tarball: path.join(root, 'cache', archive!),
    node_install_root: path.join(root, 'opt2'),
    appliance_node_prefix: path.join(root, 'opt2', 'node'),
    node_cache_dir: path.join(root, 'cache2'),
    node_link_dir: '',
    node_npm_version: '',
  };
  writeFileSync(varsFile, JSON.stringify(tarballVars));
  const tarball = await nodeRole(varsFile);
  t.is(tarball.code, 0, describe(tarball));
  t.regex(tarball.stdout, new RegExp(`Node\\.js v${nodeVersion.replaceAll('.', '\\.')} at ${path.join(root, 'opt2', 'node')}`), describe(tarball));
});
