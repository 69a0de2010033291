import type { ConferenceAggregate, ConferenceData, ParticipantData, PromptData, RecordingData } from '../domain/index.ts';
import { PROMPT_CHOICES, recordedTime, recordingControlRefusal } from '../domain/index.ts';
import type { Actor } from '../domain/index.ts';
import type { ChatMessageView } from '../events/appliance-event.ts';
import type { ChatMessage } from '../db/entities/index.ts';

export interface RecordingView {
  id: string;
  number: number;
  state: RecordingData['state'];
  recordedMs: number;
  /** While recording: when the current run began, so clients can run the timer between ticks. */
  runningSince: string | null;
  startedAt: string;
  startedBy: string;
  stoppedAt: string | null;
  stopReason: RecordingData['stopReason'];
  problem: string | null;
}

export function recordingView(recording: RecordingData, now: Date): RecordingView {
  return {
    id: recording.id,
    number: recording.number,
    state: recording.state,
    recordedMs: recordedTime(recording, now),
    runningSince: recording.runningSince?.toISOString() ?? null,
    startedAt: recording.startedAt.toISOString(),
    startedBy: recording.startedBy,
    stoppedAt: recording.stoppedAt?.toISOString() ?? null,
    stopReason: recording.stopReason,
    problem: recording.problem,
  };
}

export function conferenceSummary(conference: ConferenceData) {
  return {
    id: conference.id,
    title: conference.title,
    state: conference.state,
    createdBy: conference.createdBy,
    createdAt: conference.createdAt.toISOString(),
    endedAt: conference.endedAt?.toISOString() ?? null,
  };
}

function participantView(participant: ParticipantData) {
  return {
    userId: participant.userId,
    name: participant.name,
    serverId: participant.serverId,
    role: participant.role,
    present: participant.present,
    joinedAt: participant.joinedAt.toISOString(),
    leftAt: participant.leftAt?.toISOString() ?? null,
  };
}

export function promptView(prompt: PromptData) {
  return {
    id: prompt.id,
    recordingId: prompt.recordingId,
    kind: prompt.kind,
    choices: Object.entries(PROMPT_CHOICES).map(([answer, label]) => ({ answer, label })),
  };
}

/** The conference as one participant sees it. */
export function conferenceView(aggregate: ConferenceAggregate, actor: Actor, now: Date) {
  const me = aggregate.participants.find((p) => p.userId === actor.userId);
  const live = aggregate.recordings.find((r) => r.state === 'recording' || r.state === 'paused');
  const prompt = aggregate.prompts.find((p) => p.userId === actor.userId && p.answeredAt === null);
  return {
    ...conferenceSummary(aggregate.conference),
    participants: aggregate.participants.map(participantView),
    recording: live ? recordingView(live, now) : null,
    me: {
      userId: actor.userId,
      role: me?.role ?? null,
      present: me?.present ?? false,
      consented: aggregate.consents.some((c) => c.userId === actor.userId),
      pendingPrompt: prompt ? promptView(prompt) : null,
      // Clients hide the controls rather than offer ones the server will refuse.
      canControlRecording: recordingControlRefusal(aggregate, actor) === null,
    },
  };
}

export function chatMessageView(message: ChatMessage): ChatMessageView {
  return {
    id: message.id,
    conferenceId: message.conferenceId,
    authorUserId: message.authorUserId,
    authorName: message.authorName,
    bot: message.authorUserId === null,
    text: message.text,
    links: message.links,
    createdAt: message.createdAt.toISOString(),
  };
}
