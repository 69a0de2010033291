import test from 'ava';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ansibleDir, ansibleEnv, describe, repoRoot, run, scratchDir } from './helpers.ts';

test('ansible-lint passes on ansible/ and the test playbooks (production profile, offline)', async (t) => {
  const result = await run('ansible-lint', ['--offline', '-c', path.join(ansibleDir, '.ansible-lint'), 'ansible/', 'test/ops/'], {
    env: ansibleEnv(),
  });
  t.is(result.code, 0, describe(result));
  t.regex(result.stdout + result.stderr, /Passed/, describe(result));
});

test('ansible-playbook --syntax-check accepts site.yml', async (t) => {
  const result = await run('ansible-playbook', ['-i', 'localhost,', '-c', 'local', '--syntax-check', 'ansible/site.yml'], {
    env: ansibleEnv(),
  });
  t.is(result.code, 0, describe(result));
});

test('vagrant validate --ignore-provider accepts the Vagrantfile', async (t) => {
  const scratch = scratchDir('vagrant-validate');
  t.teardown(scratch.remove);
  const result = await run('vagrant', ['validate', '--ignore-provider'], {
    env: {
      ...process.env,
      VAGRANT_CWD: repoRoot,
      // Keep vagrant's state out of the repository and the user's home.
      VAGRANT_HOME: path.join(scratch.dir, 'home'),
      VAGRANT_DOTFILE_PATH: path.join(scratch.dir, 'dot'),
      VAGRANT_CHECKPOINT_DISABLE: '1',
      VAGRANT_NO_COLOR: '1',
    },
  });
  t.is(result.code, 0, describe(result));
  t.regex(result.stdout, /validated successfully/, describe(result));
});

test('the Vagrantfile provisions with ansible/site.yml and forwards HTTPS and the media ports', (t) => {
  const vagrantfile = readFileSync(path.join(repoRoot, 'Vagrantfile'), 'utf8');
  // `vagrant validate --ignore-provider` does not check that the playbook exists.
  const playbook = /ansible\.playbook\s*=\s*"([^"]+)"/.exec(vagrantfile)?.[1];
  t.truthy(playbook, 'Vagrantfile names no ansible.playbook');
  t.true(existsSync(path.join(repoRoot, playbook!)), `${playbook} does not exist`);
  t.regex(vagrantfile, /config\.vm\.box = "debian\/bookworm64"/);
  t.regex(vagrantfile, /provider "virtualbox"/);
  t.regex(vagrantfile, /provider "libvirt"/);
  t.regex(vagrantfile, /forwarded_port", id: "https", guest: 443, host: HTTPS_HOST_PORT/);
  t.regex(vagrantfile, /guest: port, host: port,\s*protocol: proto/);
  // The box runs with the deployment test's settings, and forwards the media range they name.
  t.regex(vagrantfile, /TEST_SETTINGS_FILE = "ansible\/test-settings\.json"/);
  t.regex(vagrantfile, /ansible\.extra_vars = TEST_SETTINGS_FILE/);
  t.regex(vagrantfile, /RTC_MIN_PORT = TEST_SETTINGS\.fetch\("appliance_rtc_min_port"\)/);
  t.regex(vagrantfile, /RTC_MAX_PORT = TEST_SETTINGS\.fetch\("appliance_rtc_max_port"\)/);
});
