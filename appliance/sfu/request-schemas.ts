import type { JsonSchema } from '../api/request-validation.ts';
import type { MediaMethod } from './signalling-protocol.ts';

const mediasoupId = { type: 'string', minLength: 1, maxLength: 64 };
/** mediasoup checks these structures itself, field by field, and its refusals reach the client. */
const structure = { type: 'object' };

function request(method: MediaMethod, properties: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    properties: { id: { type: 'integer' }, method: { const: method }, conferenceId: { type: 'string', format: 'uuid' }, ...properties },
    required: ['id', 'method', 'conferenceId', ...Object.keys(properties)],
    additionalProperties: false,
  };
}

/** The shape of each request of signalling-protocol.ts, as JSON Schema. */
export const REQUEST_SCHEMAS: Record<MediaMethod, JsonSchema> = {
  'media.join': request('media.join'),
  'media.createTransport': request('media.createTransport', { direction: { enum: ['send', 'recv'] } }),
  'media.connectTransport': request('media.connectTransport', { transportId: mediasoupId, dtlsParameters: structure }),
  'media.produce': request('media.produce', {
    transportId: mediasoupId,
    kind: { enum: ['audio', 'video'] },
    rtpParameters: structure,
    source: { enum: ['microphone', 'camera', 'screen'] },
  }),
  'media.pauseProducer': request('media.pauseProducer', { producerId: mediasoupId }),
  'media.resumeProducer': request('media.resumeProducer', { producerId: mediasoupId }),
  'media.closeProducer': request('media.closeProducer', { producerId: mediasoupId }),
  'media.consume': request('media.consume', { transportId: mediasoupId, producerId: mediasoupId, rtpCapabilities: structure }),
  'media.resumeConsumer': request('media.resumeConsumer', { consumerId: mediasoupId }),
  'media.leave': request('media.leave'),
};
