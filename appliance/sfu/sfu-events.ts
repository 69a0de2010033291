import type { ProducerInfo } from './signalling-protocol.ts';

/** Why a producer went: its owner closed it or left, its room closed, or its worker died under it. */
export type ProducerRemovalReason = 'closed' | 'room-closed' | 'worker-died';

/** Why a room closed normally. A room whose worker died is reported by `roomRestarted` instead. */
export type RoomCloseReason = 'conference-ended' | 'empty' | 'shutdown';

export type RoomProducer = ProducerInfo & { conferenceId: string };

/**
 * What the SFU tells the rest of the appliance, the recording backend included. Every payload
 * names its conference.
 */
export interface SfuEvents {
  /** The conference's media opened on a worker (on its first media.join, or a rejoin after a restart). */
  roomOpened: [event: { conferenceId: string; workerPid: number }];
  roomClosed: [event: { conferenceId: string; reason: RoomCloseReason }];
  /**
   * The worker under the conference died: its router and every producer, consumer and recorder
   * tap in it are gone (each producer was reported as removed with reason `worker-died` just
   * before). `userIds` were in its media and have been sent `media.restart`; as they rejoin, a new
   * room opens on another worker and their producers come back with new ids.
   */
  roomRestarted: [event: { conferenceId: string; workerPid: number; reason: string; userIds: string[] }];
  producerAdded: [producer: RoomProducer];
  producerRemoved: [producer: RoomProducer & { reason: ProducerRemovalReason }];
  producerPaused: [producer: RoomProducer];
  producerResumed: [producer: RoomProducer];
  /** A participant's consumer closed because the producer it received went away. */
  consumerClosed: [event: { conferenceId: string; userId: string; consumerId: string; producerId: string }];
}
