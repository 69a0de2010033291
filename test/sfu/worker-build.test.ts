import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);

// The libsrtp compatibility layer sits between mediasoup and Debian's libsrtp2: security-relevant,
// so it is exercised with real packets both ways under the sanitizers.
test('the libsrtp compatibility layer protects and unprotects real RTP and RTCP both ways', async (t) => {
  const { stdout } = await run('bash', ['scripts/mediasoup-worker/test/test.sh'], { maxBuffer: 8 * 1024 * 1024 });
  t.regex(stdout, /PASS/);
  t.notRegex(stdout, /FAIL/);
});

test('the offline-built mediasoup worker runs from Node: transports, SRTP piping, RTP delivered intact', async (t) => {
  if (!process.env.MEDIASOUP_WORKER_BIN) t.fail('MEDIASOUP_WORKER_BIN is not set: run the tests through npm test');
  const { stdout } = await run(process.execPath, ['scripts/mediasoup-worker/smoke.mjs'], { env: process.env, maxBuffer: 8 * 1024 * 1024 });
  t.regex(stdout, /PASS: mediasoup worker smoke test/);
  t.notRegex(stdout, /FAIL/);
});
