// Smoke test for a mediasoup worker binary built by build.sh.
//
//   MEDIASOUP_WORKER_BIN=/path/to/mediasoup-worker node scripts/mediasoup-worker/smoke.mjs
//
// Uses only 127.0.0.1. Checks: worker starts; a router with Opus + VP8; a
// WebRtcTransport (UDP + TCP on 127.0.0.1) with ICE candidates and DTLS
// fingerprints; real VP8 RTP sent from this process into a PlainTransport is
// produced, consumed onto a PlainTransport pair protected with SRTP
// (AEAD_AES_256_GCM) into a second router, consumed again onto a plain
// PlainTransport and received back here with the payload unchanged; RTCP
// through the SRTP pair both ways (round-trip time on the first consumer);
// stats; clean close. Prints PASS/FAIL; exits non-zero on failure.
import dgram from 'node:dgram';
import fs from 'node:fs';
import * as mediasoup from 'mediasoup';

const LOOPBACK = '127.0.0.1';
const SSRC = 22222222;
const PT = 101;
const PACKETS = 60;
const TIMEOUT_MS = 15000;

const checks = [];
function check(name, ok, detail = '') {
	checks.push({ name, ok });
	console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
	if (!ok) throw new Error(`check failed: ${name}`);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(what, fn, timeoutMs = TIMEOUT_MS) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

// A single-packet VP8 key frame: payload descriptor (S=1, partition 0), then a
// VP8 frame tag with the key-frame bit clear, the start code and 640x360.
function vp8KeyFrame(n) {
	const body = Buffer.alloc(200, n & 0xff);
	const head = Buffer.from([0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01]);
	return Buffer.concat([head, body]);
}
function rtpPacket(seq, timestamp, payload) {
	const header = Buffer.alloc(12);
	header[0] = 0x80; // V=2
	header[1] = 0x80 | PT; // marker: one packet per frame
	header.writeUInt16BE(seq & 0xffff, 2);
	header.writeUInt32BE(timestamp >>> 0, 4);
	header.writeUInt32BE(SSRC, 8);
	return Buffer.concat([header, payload]);
}
// RTP payload after CSRCs and header extension (RFC 3550, no padding used here).
function rtpPayload(packet) {
	const cc = packet[0] & 0x0f;
	let offset = 12 + 4 * cc;
	if (packet[0] & 0x10) offset += 4 + 4 * packet.readUInt16BE(offset + 2);
	return packet.subarray(offset);
}

async function main() {
	const bin = process.env.MEDIASOUP_WORKER_BIN;
	if (!bin) throw new Error('set MEDIASOUP_WORKER_BIN to the worker binary');
	fs.accessSync(bin, fs.constants.X_OK);
	console.log(`mediasoup ${mediasoup.version}, worker ${bin}, node ${process.version}`);

	const worker = await mediasoup.createWorker({ logLevel: 'warn' });
	let died = null;
	worker.on('died', (error) => { died = error; });
	check('worker started', worker.pid > 0, `pid ${worker.pid}`);

	const mediaCodecs = [
		{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
		{ kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
	];
	const router1 = await worker.createRouter({ mediaCodecs });
	const router2 = await worker.createRouter({ mediaCodecs });
	const mimes = router1.rtpCapabilities.codecs.map((c) => c.mimeType);
	check('router has Opus and VP8', mimes.includes('audio/opus') && mimes.includes('video/VP8'), mimes.join(' '));

	const webRtc = await router1.createWebRtcTransport({
		listenInfos: [
			{ protocol: 'udp', ip: LOOPBACK },
			{ protocol: 'tcp', ip: LOOPBACK },
		],
	});
	check('WebRtcTransport on 127.0.0.1',
		webRtc.iceCandidates.length === 2 && webRtc.iceCandidates.every((c) => c.address === LOOPBACK) &&
			webRtc.dtlsParameters.fingerprints.length > 0,
		webRtc.iceCandidates.map((c) => `${c.protocol}:${c.port}`).join(' '));

	// Sender (this process) -> plainIn (comedia) -> producer1.
	const plainIn = await router1.createPlainTransport({ listenInfo: { protocol: 'udp', ip: LOOPBACK }, rtcpMux: true, comedia: true });
	const producer1 = await plainIn.produce({
		kind: 'video',
		rtpParameters: {
			codecs: [{
				mimeType: 'video/VP8', payloadType: PT, clockRate: 90000,
				rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
			}],
			encodings: [{ ssrc: SSRC }],
			rtcp: { cname: 'smoke' },
		},
	});
	check('producer on PlainTransport', producer1.kind === 'video' && producer1.type === 'simple');

	// producer1 -> consumer1 on srtpOut ==SRTP AES-256-GCM==> srtpIn -> producer2 (router2).
	const srtpOptions = { listenInfo: { protocol: 'udp', ip: LOOPBACK }, rtcpMux: true, comedia: false, enableSrtp: true, srtpCryptoSuite: 'AEAD_AES_256_GCM' };
	const srtpOut = await router1.createPlainTransport(srtpOptions);
	const srtpIn = await router2.createPlainTransport(srtpOptions);
	await srtpOut.connect({ ip: LOOPBACK, port: srtpIn.tuple.localPort, srtpParameters: srtpIn.srtpParameters });
	await srtpIn.connect({ ip: LOOPBACK, port: srtpOut.tuple.localPort, srtpParameters: srtpOut.srtpParameters });
	const consumer1 = await srtpOut.consume({ producerId: producer1.id, rtpCapabilities: router2.rtpCapabilities });
	const producer2 = await srtpIn.produce({ kind: 'video', rtpParameters: consumer1.rtpParameters });

	// producer2 -> consumer2 on plainOut -> receiver (this process).
	const receiver = dgram.createSocket('udp4');
	const received = [];
	receiver.on('message', (msg) => {
		// RTCP packet types 192-223 share the second byte's range with RTP marker+PT (RFC 5761).
		if (msg.length >= 12 && (msg[1] < 192 || msg[1] > 223)) received.push(msg);
	});
	await new Promise((resolve) => receiver.bind(0, LOOPBACK, resolve));
	const plainOut = await router2.createPlainTransport({ listenInfo: { protocol: 'udp', ip: LOOPBACK }, rtcpMux: true, comedia: false });
	await plainOut.connect({ ip: LOOPBACK, port: receiver.address().port });
	const consumer2 = await plainOut.consume({ producerId: producer2.id, rtpCapabilities: router2.rtpCapabilities });
	check('consumers created', consumer1.kind === 'video' && consumer2.kind === 'video', `${consumer1.type}, ${consumer2.type}`);

	const sender = dgram.createSocket('udp4');
	await new Promise((resolve) => sender.bind(0, LOOPBACK, resolve));
	const sentPayloads = [];
	for (let i = 0; i < PACKETS; i++) {
		const payload = vp8KeyFrame(i);
		sentPayloads.push(payload);
		sender.send(rtpPacket(1000 + i, 90000 + 3000 * i, payload), plainIn.tuple.localPort, LOOPBACK);
		await sleep(20);
	}

	// Only consumer2's media stream (bandwidth probation packets use another SSRC).
	const mediaSsrc = consumer2.rtpParameters.encodings[0].ssrc;
	const media = () => received.filter((p) => p.readUInt32BE(8) === mediaSsrc);
	await waitFor('RTP at the receiver', () => media().length >= PACKETS / 2);
	await sleep(200);
	const sentSet = new Set(sentPayloads.map((p) => p.toString('hex')));
	const intact = media().filter((p) => sentSet.has(rtpPayload(p).toString('hex'))).length;
	check('RTP went through plain -> SRTP(AES-256-GCM) -> plain with payload intact',
		intact === media().length && intact >= PACKETS / 2, `${intact}/${media().length} intact, ${PACKETS} sent`);

	// RTCP both ways over SRTP: producer2 receives SRs, consumer1 receives RRs
	// that refer to them, giving it a round-trip time.
	const c1 = await waitFor('round-trip time on consumer1 (SRTCP both ways)', async () => {
		const stats = await consumer1.getStats();
		const outbound = stats.find((s) => s.type === 'outbound-rtp');
		return outbound && outbound.roundTripTime > 0 ? outbound : null;
	});
	check('SRTCP both ways (consumer1 has a round-trip time)', true, `rtt ${c1.roundTripTime.toFixed(2)} ms`);

	const p1Stats = await producer1.getStats();
	const p2Stats = await producer2.getStats();
	const c2Stats = await consumer2.getStats();
	const srtpInStats = (await srtpIn.getStats())[0];
	check('stats: producer1 received packets', p1Stats[0]?.packetCount >= PACKETS / 2, `${p1Stats[0]?.packetCount} packets`);
	check('stats: producer2 received decrypted packets', p2Stats[0]?.packetCount >= PACKETS / 2, `${p2Stats[0]?.packetCount} packets`);
	check('stats: consumer2 sent packets', c2Stats.find((s) => s.type === 'outbound-rtp')?.packetCount >= PACKETS / 2);
	check('stats: SRTP transport received bytes', srtpInStats.rtpBytesReceived > 0 && srtpInStats.rtpRecvBitrate >= 0, `${srtpInStats.rtpBytesReceived} bytes`);
	const usage = await worker.getResourceUsage();
	check('worker resource usage', typeof usage.ru_maxrss === 'number', `maxrss ${usage.ru_maxrss} KB`);

	sender.close();
	receiver.close();
	webRtc.close();
	router1.close();
	router2.close();
	check('transports closed with their routers', plainIn.closed && srtpOut.closed && srtpIn.closed && plainOut.closed && webRtc.closed);
	worker.close();
	check('worker closed', worker.closed && died === null, died ? String(died) : '');
}

const started = Date.now();
try {
	await main();
	console.log(`PASS: mediasoup worker smoke test (${checks.length} checks, ${Date.now() - started} ms)`);
	console.log(`${checks.length} passed, 0 failed`);
	process.exit(0);
} catch (error) {
	console.error(`FAIL: mediasoup worker smoke test: ${error.message}`);
	console.log(`${checks.filter((c) => c.ok).length} passed, 1 failed`);
	process.exit(1);
}
