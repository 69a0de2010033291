// Tests for subprojects/libsrtp3/include/srtp.h, the libsrtp 3.0 API subset the
// mediasoup worker uses, implemented on Debian's libsrtp2. Built and run by
// test.sh beside this file. Prints one line per check, then PASS or FAIL and
// "N passed, N failed"; exits non-zero on any failure.
#include <srtp.h> // the compat header (test.sh puts its folder first on the include path)

#include <arpa/inet.h>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace
{
	int passed = 0;
	int failed = 0;

	void Check(bool ok, const std::string& what)
	{
		std::printf("%s %s\n", ok ? "ok  " : "FAIL", what.c_str());
		(ok ? passed : failed)++;
	}

	std::string Status(srtp_err_status_t s)
	{
		return " (status " + std::to_string(static_cast<int>(s)) + ")";
	}

	using Bytes = std::vector<uint8_t>;

	constexpr uint32_t SsrcA = 0x11223344;
	constexpr uint32_t SsrcB = 0x55667788;

	// RTP: V=2, X=1 with one RFC 8285 one-byte extension (abs-send-time style),
	// PT 96, then a payload that looks like media.
	Bytes MakeRtp(uint32_t ssrc, uint16_t seq, size_t payloadLen)
	{
		Bytes p = { 0x90, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			          0xBE, 0xDE, 0x00, 0x01, 0x32, 0xAA, 0xBB, 0xCC };
		p[2] = seq >> 8;
		p[3] = seq & 0xff;
		const uint32_t ts = 90000u + 3000u * seq;
		p[4] = ts >> 24; p[5] = ts >> 16; p[6] = ts >> 8; p[7] = ts;
		p[8] = ssrc >> 24; p[9] = ssrc >> 16; p[10] = ssrc >> 8; p[11] = ssrc;
		for (size_t i = 0; i < payloadLen; ++i)
			p.push_back(static_cast<uint8_t>(i * 7 + seq));
		return p;
	}

	// RTCP compound: Sender Report (no report blocks) + SDES with a CNAME.
	Bytes MakeRtcp(uint32_t ssrc)
	{
		Bytes p = {
			0x80, 200, 0x00, 0x06,             // SR, length 6 words
			0, 0, 0, 0,                        // SSRC (below)
			0xE9, 0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, // NTP timestamp
			0x00, 0x01, 0x5F, 0x90,            // RTP timestamp
			0x00, 0x00, 0x00, 0x2A,            // sender packet count
			0x00, 0x00, 0x12, 0x34,            // sender octet count
			0x81, 202, 0x00, 0x03,             // SDES, one chunk, length 3 words
			0, 0, 0, 0,                        // SSRC (below)
			0x01, 0x04, 's', 'm', 'o', 'k', 0x00, 0x00 // CNAME "smok", end, pad
		};
		for (size_t off : { size_t{ 4 }, size_t{ 32 } })
		{
			p[off] = ssrc >> 24; p[off + 1] = ssrc >> 16; p[off + 2] = ssrc >> 8; p[off + 3] = ssrc;
		}
		return p;
	}

	struct Suite
	{
		const char* name;
		void (*setPolicy)(srtp_crypto_policy_t*);
		size_t keyLen;
		size_t rtpTag;  // bytes srtp_protect() adds
		size_t rtcpTag; // bytes srtp_protect_rtcp() adds (incl. 4-byte E+index)
	};

	srtp_t MakeSession(const Suite& suite, srtp_ssrc_type_t type, const Bytes& key)
	{
		srtp_policy_t policy;
		std::memset(&policy, 0, sizeof(policy));
		suite.setPolicy(&policy.rtp);
		suite.setPolicy(&policy.rtcp);
		policy.ssrc.type       = type;
		policy.key             = const_cast<uint8_t*>(key.data());
		policy.window_size     = 1024;
		policy.allow_repeat_tx = 1;
		srtp_t session         = nullptr;
		const srtp_err_status_t s = srtp_create(&session, &policy);
		Check(s == srtp_err_status_ok && session, std::string(suite.name) + ": srtp_create" + Status(s));
		return session;
	}

	// One direction: `tx` protects, `rx` unprotects.
	void TestDirection(const Suite& suite, const char* dir, srtp_t tx, srtp_t rx, uint32_t ssrc)
	{
		const std::string n = std::string(suite.name) + " " + dir + ": ";

		for (uint16_t seq = 1; seq <= 3; ++seq)
		{
			// RTP, separate buffers, exact room that the header documents.
			const Bytes rtp = MakeRtp(ssrc, seq, 160 + seq);
			Bytes srtp(rtp.size() + SRTP_MAX_TRAILER_LEN);
			size_t srtpLen = srtp.size();
			srtp_err_status_t s =
			  srtp_protect(tx, rtp.data(), rtp.size(), srtp.data(), &srtpLen, 0);
			Check(s == srtp_err_status_ok && srtpLen == rtp.size() + suite.rtpTag,
			  n + "protect RTP seq " + std::to_string(seq) + ", +" + std::to_string(srtpLen - rtp.size()) +
			    " bytes" + Status(s));
			Check(std::memcmp(srtp.data(), rtp.data(), 20) == 0 &&
			        std::memcmp(srtp.data() + 20, rtp.data() + 20, rtp.size() - 20) != 0,
			  n + "RTP header clear, payload encrypted");

			// Tampered copy first (must not consume the packet index).
			Bytes bad(srtp.begin(), srtp.begin() + srtpLen);
			bad[30] ^= 0x01;
			size_t badLen = bad.size();
			s = srtp_unprotect(rx, bad.data(), bad.size(), bad.data(), &badLen);
			Check(s == srtp_err_status_auth_fail && badLen == bad.size(),
			  n + "tampered SRTP rejected" + Status(s));

			// Worker style: unprotect in place (in == out).
			Bytes inPlace(srtp.begin(), srtp.begin() + srtpLen);
			size_t plainLen = inPlace.size();
			s = srtp_unprotect(rx, inPlace.data(), inPlace.size(), inPlace.data(), &plainLen);
			inPlace.resize(plainLen);
			Check(s == srtp_err_status_ok && inPlace == rtp, n + "unprotect RTP round-trips" + Status(s));

			size_t againLen = srtpLen;
			Bytes again(srtp.begin(), srtp.begin() + srtpLen);
			s = srtp_unprotect(rx, again.data(), again.size(), again.data(), &againLen);
			Check(s == srtp_err_status_replay_fail, n + "replayed SRTP rejected" + Status(s));

			// RTCP, separate out buffer for unprotect too.
			const Bytes rtcp = MakeRtcp(ssrc);
			Bytes srtcp(rtcp.size() + SRTP_MAX_TRAILER_LEN + 4);
			size_t srtcpLen = srtcp.size();
			s = srtp_protect_rtcp(tx, rtcp.data(), rtcp.size(), srtcp.data(), &srtcpLen, 0);
			Check(s == srtp_err_status_ok && srtcpLen == rtcp.size() + suite.rtcpTag,
			  n + "protect RTCP, +" + std::to_string(srtcpLen - rtcp.size()) + " bytes" + Status(s));
			Check(std::memcmp(srtcp.data() + 8, rtcp.data() + 8, rtcp.size() - 8) != 0,
			  n + "RTCP body encrypted");

			Bytes badRtcp(srtcp.begin(), srtcp.begin() + srtcpLen);
			badRtcp[12] ^= 0x80;
			size_t badRtcpLen = badRtcp.size();
			s = srtp_unprotect_rtcp(rx, badRtcp.data(), badRtcp.size(), badRtcp.data(), &badRtcpLen);
			Check(s == srtp_err_status_auth_fail && badRtcpLen == badRtcp.size(),
			  n + "tampered SRTCP rejected" + Status(s));

			Bytes rtcpOut(srtcpLen);
			size_t rtcpOutLen = rtcpOut.size();
			s = srtp_unprotect_rtcp(rx, srtcp.data(), srtcpLen, rtcpOut.data(), &rtcpOutLen);
			rtcpOut.resize(rtcpOutLen);
			Check(s == srtp_err_status_ok && rtcpOut == rtcp, n + "unprotect RTCP round-trips" + Status(s));
		}
	}

	// Too-small output buffers must be refused before libsrtp2 writes anything.
	void TestBufferSmall(const Suite& suite, srtp_t tx, srtp_t rx, uint32_t ssrc)
	{
		const std::string n = std::string(suite.name) + ": ";
		constexpr size_t Guard = 256;
		constexpr uint8_t Canary = 0xA5;

		const Bytes rtp = MakeRtp(ssrc, 100, 200);
		const size_t capacity = rtp.size() + SRTP_MAX_TRAILER_LEN - 1;
		Bytes out(capacity + Guard, Canary);
		size_t outLen = capacity;
		srtp_err_status_t s = srtp_protect(tx, rtp.data(), rtp.size(), out.data(), &outLen, 0);
		bool untouched = true;
		for (uint8_t b : out)
			untouched = untouched && b == Canary;
		Check(s == srtp_err_status_buffer_small && outLen == capacity && untouched,
		  n + "RTP out buffer 1 byte short -> buffer_small, nothing written" + Status(s));

		const Bytes rtcp = MakeRtcp(ssrc);
		const size_t rtcpCapacity = rtcp.size() + SRTP_MAX_TRAILER_LEN + 3;
		Bytes rtcpOut(rtcpCapacity + Guard, Canary);
		size_t rtcpOutLen = rtcpCapacity;
		s = srtp_protect_rtcp(tx, rtcp.data(), rtcp.size(), rtcpOut.data(), &rtcpOutLen, 0);
		untouched = true;
		for (uint8_t b : rtcpOut)
			untouched = untouched && b == Canary;
		Check(s == srtp_err_status_buffer_small && rtcpOutLen == rtcpCapacity && untouched,
		  n + "RTCP out buffer 1 byte short -> buffer_small, nothing written" + Status(s));

		Bytes srtp(rtp.size() + SRTP_MAX_TRAILER_LEN);
		size_t srtpLen = srtp.size();
		s = srtp_protect(tx, rtp.data(), rtp.size(), srtp.data(), &srtpLen, 0);
		Bytes small(srtpLen - 1 + Guard, Canary);
		size_t smallLen = srtpLen - 1;
		s = srtp_unprotect(rx, srtp.data(), srtpLen, small.data(), &smallLen);
		untouched = true;
		for (uint8_t b : small)
			untouched = untouched && b == Canary;
		Check(s == srtp_err_status_buffer_small && smallLen == srtpLen - 1 && untouched,
		  n + "unprotect into a buffer shorter than the packet -> buffer_small" + Status(s));

		size_t zeroLen = 0;
		s = srtp_protect(tx, rtp.data(), rtp.size(), out.data(), &zeroLen, 0);
		Check(s == srtp_err_status_buffer_small, n + "zero-capacity out buffer -> buffer_small" + Status(s));

		size_t hugeLen = static_cast<size_t>(-1);
		s = srtp_protect(tx, rtp.data(), static_cast<size_t>(1) << 40, out.data(), &hugeLen, 0);
		Check(s == srtp_err_status_bad_param, n + "length beyond int range -> bad_param" + Status(s));

		outLen = capacity + 1;
		s = srtp_protect(tx, rtp.data(), rtp.size(), out.data(), &outLen, 1);
		Check(s == srtp_err_status_bad_mki, n + "non-zero MKI index refused" + Status(s));
	}

	void TestSuite(const Suite& suite)
	{
		Bytes keyAB(suite.keyLen), keyBA(suite.keyLen);
		for (size_t i = 0; i < suite.keyLen; ++i)
		{
			keyAB[i] = static_cast<uint8_t>(0x10 + i);
			keyBA[i] = static_cast<uint8_t>(0xF0 - i);
		}

		// Peer A sends with keyAB and receives with keyBA; peer B the reverse.
		srtp_t aOut = MakeSession(suite, ssrc_any_outbound, keyAB);
		srtp_t bIn  = MakeSession(suite, ssrc_any_inbound, keyAB);
		srtp_t bOut = MakeSession(suite, ssrc_any_outbound, keyBA);
		srtp_t aIn  = MakeSession(suite, ssrc_any_inbound, keyBA);
		if (!aOut || !bIn || !bOut || !aIn)
			return;

		TestDirection(suite, "A->B", aOut, bIn, SsrcA);
		TestDirection(suite, "B->A", bOut, aIn, SsrcB);
		TestBufferSmall(suite, aOut, bIn, SsrcA);

		// A packet protected under keyAB must not authenticate in a session keyed with keyBA.
		{
			const Bytes rtp = MakeRtp(SsrcB, 500, 100);
			Bytes srtp(rtp.size() + SRTP_MAX_TRAILER_LEN);
			size_t srtpLen = srtp.size();
			srtp_protect(aOut, rtp.data(), rtp.size(), srtp.data(), &srtpLen, 0);
			size_t len = srtpLen;
			const srtp_err_status_t s = srtp_unprotect(aIn, srtp.data(), srtpLen, srtp.data(), &len);
			Check(s == srtp_err_status_auth_fail, std::string(suite.name) + ": packet under the other key rejected" + Status(s));
		}

		// srtp_stream_remove takes the SSRC in network byte order, as the worker passes it.
		srtp_err_status_t s = srtp_stream_remove(bIn, htonl(SsrcA));
		Check(s == srtp_err_status_ok, std::string(suite.name) + ": srtp_stream_remove(htonl(ssrc))" + Status(s));
		s = srtp_stream_remove(bIn, htonl(SsrcA));
		Check(s != srtp_err_status_ok, std::string(suite.name) + ": removing it again fails" + Status(s));

		for (srtp_t session : { aOut, bIn, bOut, aIn })
			srtp_dealloc(session);
	}
} // namespace

int main()
{
	std::printf("libsrtp: %s\n", srtp_get_version_string());

	const srtp_err_status_t s = srtp_init();
	Check(s == srtp_err_status_ok, "srtp_init" + Status(s));

	Check(static_cast<int>(srtp_err_status_buffer_small) == 28 &&
	        static_cast<int>(srtp_err_status_cryptex_err) == 29,
	  "compat error codes follow libsrtp2's last code (27)");

	const Suite suites[] = {
		// (lambdas: in libsrtp2 some of these setters are macros)
		{ "AES_CM_128_HMAC_SHA1_80",
		  [](srtp_crypto_policy_t* p) { srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p); }, 30, 10, 4 + 10 },
		{ "AEAD_AES_256_GCM",
		  [](srtp_crypto_policy_t* p) { srtp_crypto_policy_set_aes_gcm_256_16_auth(p); }, 44, 16, 4 + 16 },
	};
	for (const Suite& suite : suites)
		TestSuite(suite);

	srtp_shutdown();

	if (failed == 0)
		std::printf("PASS: srtp compat header, %d checks\n", passed);
	else
		std::printf("FAIL: srtp compat header, %d of %d checks failed\n", failed, passed + failed);
	std::printf("%d passed, %d failed\n", passed, failed);

	return failed == 0 ? 0 : 1;
}
