/*
 * libsrtp 3.0 API subset on top of Debian's libsrtp2 (2.5), for the mediasoup
 * worker. Security-relevant: keep it small; test/srtp-compat-test.cpp covers it.
 *
 * mediasoup >= 3.16.6 is written against a libsrtp fork's 3.0 API:
 *   srtp_protect(ctx, in, in_len, out, &out_len, mki_index)      (and _rtcp)
 *   srtp_unprotect(ctx, in, in_len, out, &out_len)               (and _rtcp)
 *   srtp_stream_remove(ctx, ssrc)
 *   srtp_err_status_buffer_small, srtp_err_status_cryptex_err
 * where out_len is the capacity of `out` on input and the packet length on
 * output. libsrtp2 works in place on one buffer with an `int*` length and
 * trusts the caller to leave room for the trailer. The overloads below copy
 * in -> out (nothing to copy when in == out, as the worker does when it
 * decrypts), check the sizes against libsrtp2's documented requirement, then
 * call the in-place libsrtp2 function. On error *out_len is left unchanged.
 *
 * Not supported: MKI (a non-zero mki_index is refused; the worker passes 0)
 * and cryptex (libsrtp2 has none; the worker does not enable it).
 */
#ifndef MEDIASOUP_WORKER_SRTP_COMPAT_H
#define MEDIASOUP_WORKER_SRTP_COMPAT_H

#include <srtp2/srtp.h>

#ifdef __cplusplus

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

// Error codes that libsrtp 3.0 added after libsrtp2's last one. 28 and 29 lie
// inside the range of libsrtp2's enum (0..31), so these values are valid.
static_assert(srtp_err_status_pkt_idx_adv == 27, "unexpected libsrtp2 srtp_err_status_t layout");
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace srtp_compat
{
	// Room that libsrtp2 may write after the packet (srtp2/srtp.h: "assumes
	// that it can write SRTP_MAX_TRAILER_LEN [+4 for RTCP] into the location
	// in memory immediately following the packet").
	inline constexpr size_t RtpTrailerRoom  = SRTP_MAX_TRAILER_LEN;
	inline constexpr size_t RtcpTrailerRoom = SRTP_MAX_TRAILER_LEN + 4;

	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	inline srtp_err_status_t Run(
	  InPlaceFn fn,
	  size_t room,
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen)
	{
		if (ctx == nullptr || in == nullptr || out == nullptr || outLen == nullptr)
			return srtp_err_status_bad_param;
		if (inLen > static_cast<size_t>(INT_MAX) - room)
			return srtp_err_status_bad_param;
		if (*outLen < inLen + room)
			return srtp_err_status_buffer_small;

		if (out != in)
			std::memmove(out, in, inLen);

		int len = static_cast<int>(inLen);
		const srtp_err_status_t status = fn(ctx, out, &len);

		if (status != srtp_err_status_ok)
			return status;
		if (len < 0 || static_cast<size_t>(len) > inLen + room)
			return srtp_err_status_fail; // cannot happen with a sane libsrtp2

		*outLen = static_cast<size_t>(len);

		return srtp_err_status_ok;
	}
} // namespace srtp_compat

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
		return srtp_err_status_bad_mki;

	return srtp_compat::Run(
	  ::srtp_protect, srtp_compat::RtpTrailerRoom, ctx, rtp, rtpLen, srtp, srtpLen);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	// Unprotecting only shortens the packet: room 0.
	return srtp_compat::Run(::srtp_unprotect, 0, ctx, srtp, srtpLen, rtp, rtpLen);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
		return srtp_err_status_bad_mki;

	return srtp_compat::Run(
	  ::srtp_protect_rtcp, srtp_compat::RtcpTrailerRoom, ctx, rtcp, rtcpLen, srtcp, srtcpLen);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return srtp_compat::Run(::srtp_unprotect_rtcp, 0, ctx, srtcp, srtcpLen, rtcp, rtcpLen);
}

// libsrtp2 name: srtp_remove_stream(). ssrc in network byte order in both.
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

#endif // __cplusplus

#endif // MEDIASOUP_WORKER_SRTP_COMPAT_H
