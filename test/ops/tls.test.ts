/**
 * The nginx role's certificate tasks for real, in a scratch directory: a self-signed certificate
 * for the server name and announced address, made once (a second run changes nothing).
 */
import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ansibleEnv, describe, opsDir, recap, rolesDir, run, scratchDir } from './helpers.ts';

test('the nginx role makes a self-signed certificate once', async (t) => {
  const scratch = scratchDir('ops-tls');
  t.teardown(scratch.remove);
  const tlsDir = path.join(scratch.dir, 'tls');
  const varsFile = path.join(scratch.dir, 'vars.json');
  writeFileSync(varsFile, JSON.stringify({
    roles_dir: rolesDir,
    nginx_tls_dir: tlsDir,
    appliance_server_name: 'rec.example.test',
    appliance_announced_ip: '192.0.2.10',
    appliance_db_password: 'unused-here-password',
    // The handlers (nginx -t, reload) must not touch this machine's nginx.
    appliance_manage_services: false,
  }));
  const play = () => run('ansible-playbook', ['-i', 'localhost,', '-c', 'local', path.join(opsDir, 'tls.yml'), '-e', `@${varsFile}`], {
    env: ansibleEnv(),
  });

  const first = await play();
  t.is(first.code, 0, describe(first));
  const cert = new X509Certificate(readFileSync(path.join(tlsDir, 'appliance.crt')));
  t.regex(cert.subject, /CN=rec\.example\.test/);
  t.regex(cert.subjectAltName ?? '', /DNS:rec\.example\.test/);
  t.regex(cert.subjectAltName ?? '', /IP Address:192\.0\.2\.10/);
  t.true(new Date(cert.validTo).getTime() - Date.now() > 800 * 86400_000, 'valid for about 825 days');
  t.is(statSync(path.join(tlsDir, 'appliance.key')).mode & 0o777, 0o600);

  const second = await play();
  t.is(second.code, 0, describe(second));
  t.is(recap(second.stdout)?.changed, 0, `second run changed something:\n${describe(second)}`);
  t.is(new X509Certificate(readFileSync(path.join(tlsDir, 'appliance.crt'))).serialNumber, cert.serialNumber, 'the certificate was kept');
});
