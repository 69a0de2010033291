/**
 * Media signalling over the appliance's WebSocket (`/ws`), shared by the server and the web client.
 *
 * The client sends requests `{ id, method, ...params }` and gets exactly one response
 * `{ id, ok: true, data }` or `{ id, ok: false, error: { code, message } }` (codes as in the REST
 * API: invalid, forbidden, not_found, conflict, internal). The server also pushes media events,
 * each with a `type`, alongside the conference events the REST API documents.
 *
 * Only participants present in the conference may take part in its media.
 *
 * A participant's media ends when they send media.leave, leave the conference (REST), or close
 * the last WebSocket that signalled it; media.join again replaces their earlier media there (a
 * reload). A participant sends one producer per source and kind, on at most four transports.
 * A message that is no request (no numeric `id` or no `method`) is answered with
 * `{ type: 'error', error: { code: 'invalid', message } }`.
 */
import type { DtlsParameters, IceCandidate, IceParameters, MediaKind, RtpCapabilities, RtpParameters, SctpParameters } from 'mediasoup/types';

export type MediaSource = 'microphone' | 'camera' | 'screen';

export interface MediaRequests {
  /** Enter the conference's media: the router's capabilities, and the producers already there. */
  'media.join': {
    params: { conferenceId: string };
    result: { routerRtpCapabilities: RtpCapabilities; producers: ProducerInfo[] };
  };
  'media.createTransport': {
    params: { conferenceId: string; direction: 'send' | 'recv' };
    result: { transportId: string; iceParameters: IceParameters; iceCandidates: IceCandidate[]; dtlsParameters: DtlsParameters; sctpParameters?: SctpParameters };
  };
  'media.connectTransport': {
    params: { conferenceId: string; transportId: string; dtlsParameters: DtlsParameters };
    result: Record<string, never>;
  };
  'media.produce': {
    params: { conferenceId: string; transportId: string; kind: MediaKind; rtpParameters: RtpParameters; source: MediaSource };
    result: { producerId: string };
  };
  /** Camera or microphone off (pause) and on (resume) without renegotiating. */
  'media.pauseProducer': { params: { conferenceId: string; producerId: string }; result: Record<string, never> };
  'media.resumeProducer': { params: { conferenceId: string; producerId: string }; result: Record<string, never> };
  'media.closeProducer': { params: { conferenceId: string; producerId: string }; result: Record<string, never> };
  /** Consumers start paused: resume once the client has attached the track. */
  'media.consume': {
    params: { conferenceId: string; transportId: string; producerId: string; rtpCapabilities: RtpCapabilities };
    result: { consumerId: string; producerId: string; kind: MediaKind; rtpParameters: RtpParameters; userId: string; source: MediaSource; producerPaused: boolean };
  };
  'media.resumeConsumer': { params: { conferenceId: string; consumerId: string }; result: Record<string, never> };
  /** Leave the media (closing the tab does the same). Leaving the conference is the REST call. */
  'media.leave': { params: { conferenceId: string }; result: Record<string, never> };
}

export type MediaMethod = keyof MediaRequests;

export interface ProducerInfo {
  producerId: string;
  userId: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

/** Pushed by the server to every media participant of the conference (but the producer's owner). */
export type MediaEvent =
  | ({ type: 'media.producer_added'; conferenceId: string } & ProducerInfo)
  | { type: 'media.producer_removed'; conferenceId: string; producerId: string }
  | { type: 'media.producer_paused'; conferenceId: string; producerId: string }
  | { type: 'media.producer_resumed'; conferenceId: string; producerId: string }
  | { type: 'media.consumer_closed'; conferenceId: string; consumerId: string }
  /** The media server under the conference failed and was replaced: join the media again. */
  | { type: 'media.restart'; conferenceId: string; reason: string };

export type MediaRequest<M extends MediaMethod = MediaMethod> = { id: number; method: M } & MediaRequests[M]['params'];

export type MediaResponse<M extends MediaMethod = MediaMethod> =
  | { id: number; ok: true; data: MediaRequests[M]['result'] }
  /** `field` (optional, added compatibly) names the request field at fault, when there is one. */
  | { id: number; ok: false; error: { code: string; message: string; field?: string } };
