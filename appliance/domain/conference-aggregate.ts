import type { Actor, DomainContext } from './actor.ts';
import type { ConferenceData, ParticipantData } from './conference.ts';
import { normaliseTitle } from './conference.ts';
import type { ConsentData, PromptAnswer, PromptData, PromptKind } from './consent.ts';
import { ConfirmationPendingError, ConflictError, ForbiddenError } from './errors.ts';
import type { DomainEvent } from './events.ts';
import type { RecordingData, RecordingModeSnapshot, StopControl, StopReason } from './recording.ts';
import { countFromPipelineStart, isLive, newRecording, pauseRecording, recordedTime, resumeRecording, stopRecording } from './recording.ts';

/**
 * One conference with everything its rules look at. Commands change it in place and return the
 * events they caused; the caller persists the changed and added objects and publishes the events.
 */
export interface ConferenceAggregate {
  conference: ConferenceData;
  participants: ParticipantData[];
  /** Every recording of the conference, oldest first. */
  recordings: RecordingData[];
  consents: ConsentData[];
  /** Questions still waiting for an answer. */
  prompts: PromptData[];
}

export function createConference(actor: Actor, title: string, ctx: DomainContext): { aggregate: ConferenceAggregate; events: DomainEvent[] } {
  const conference: ConferenceData = {
    id: ctx.newId(),
    title: normaliseTitle(title),
    createdBy: actor.userId,
    state: 'active',
    createdAt: ctx.now,
    endedAt: null,
  };
  const aggregate: ConferenceAggregate = { conference, participants: [], recordings: [], consents: [], prompts: [] };
  // The manual: the creator of a conference automatically becomes its admin.
  const creator = addParticipant(aggregate, actor, 'admin', ctx);
  return {
    aggregate,
    events: [
      { type: 'conference.created', conferenceId: conference.id, title: conference.title },
      { type: 'participant.joined', conferenceId: conference.id, userId: creator.userId, name: creator.name, role: creator.role },
    ],
  };
}

export function liveRecording(aggregate: ConferenceAggregate): RecordingData | undefined {
  return aggregate.recordings.find(isLive);
}

export function participantOf(aggregate: ConferenceAggregate, userId: string): ParticipantData | undefined {
  return aggregate.participants.find((p) => p.userId === userId);
}

export function pendingPromptOf(aggregate: ConferenceAggregate, userId: string): PromptData | undefined {
  return aggregate.prompts.find((p) => p.userId === userId && p.answeredAt === null);
}

export function hasConsented(aggregate: ConferenceAggregate, userId: string): boolean {
  return aggregate.consents.some((c) => c.userId === userId);
}

/** Joining again after leaving keeps the role; a pending question is asked again. */
export function joinConference(aggregate: ConferenceAggregate, actor: Actor, ctx: DomainContext): DomainEvent[] {
  assertActive(aggregate);
  const events: DomainEvent[] = [];
  let participant = participantOf(aggregate, actor.userId);
  if (participant?.present) return [];
  if (participant) {
    participant.present = true;
    participant.name = actor.name;
    participant.leftAt = null;
  } else {
    participant = addParticipant(aggregate, actor, 'member', ctx);
  }
  events.push({ type: 'participant.joined', conferenceId: aggregate.conference.id, userId: participant.userId, name: participant.name, role: participant.role });
  const recording = liveRecording(aggregate);
  if (recording) events.push(...askForConsent(aggregate, participant, recording, ctx));
  return events;
}

export function makeAdmin(aggregate: ConferenceAggregate, actor: Actor, targetUserId: string): DomainEvent[] {
  assertActive(aggregate);
  const self = participantOf(aggregate, actor.userId);
  if (!self?.present || self.role !== 'admin') throw new ForbiddenError('only an admin who is in the conference can make others admins');
  const target = participantOf(aggregate, targetUserId);
  if (!target?.present) throw new ConflictError('only a participant who is in the conference can be made an admin', 'userId');
  if (target.role === 'admin') throw new ConflictError(`${target.name} is already an admin`, 'userId');
  target.role = 'admin';
  const events: DomainEvent[] = [{ type: 'participant.role_changed', conferenceId: aggregate.conference.id, userId: target.userId, role: 'admin' }];
  // An admin is asked the admins' question, so an open consent question becomes that one.
  const prompt = pendingPromptOf(aggregate, target.userId);
  if (prompt?.kind === 'consent') {
    prompt.kind = 'admin-confirmation';
    events.push({ type: 'consent.requested', conferenceId: aggregate.conference.id, recordingId: prompt.recordingId, userId: target.userId, promptId: prompt.id, kind: prompt.kind });
  }
  return events;
}

/** Why `actor` may not control recording here, or null when they may. */
export function recordingControlRefusal(aggregate: ConferenceAggregate, actor: Actor): string | null {
  const participant = participantOf(aggregate, actor.userId);
  if (!participant?.present) return 'you are not in this conference';
  if (participant.role !== 'admin') return 'only the conference admins control recording';
  if (!actor.server.rules.mayControlRecording) {
    return actor.server.kind === 'regional'
      ? `users of the regional server "${actor.server.name}" cannot control recording, even as conference admins`
      : `users of the server "${actor.server.name}" are not allowed to control recording`;
  }
  return null;
}

/** The recording starts at the admin's command, before anyone answers the questions it raises. */
export function startRecording(aggregate: ConferenceAggregate, actor: Actor, ctx: DomainContext, mode: RecordingModeSnapshot | null = null): { recording: RecordingData; events: DomainEvent[] } {
  assertActive(aggregate);
  assertMayControl(aggregate, actor);
  const running = liveRecording(aggregate);
  if (running) throw new ConflictError(running.state === 'paused' ? 'a recording is already under way (paused)' : 'a recording is already under way');
  const recording = newRecording({
    id: ctx.newId(),
    conferenceId: aggregate.conference.id,
    number: aggregate.recordings.length + 1,
    startedBy: actor.userId,
    now: ctx.now,
    mode,
  });
  aggregate.recordings.push(recording);
  const events: DomainEvent[] = [{ type: 'recording.started', conferenceId: aggregate.conference.id, recordingId: recording.id, number: recording.number }];
  // Starting is the starter's own agreement, and answers any question still put to them.
  if (!hasConsented(aggregate, actor.userId)) {
    const pending = pendingPromptOf(aggregate, actor.userId);
    if (pending) answer(pending, 'agree', ctx);
    events.push(recordConsent(aggregate, actor.userId, ctx));
  }
  for (const participant of aggregate.participants) {
    if (participant.present && participant.userId !== actor.userId) events.push(...askForConsent(aggregate, participant, recording, ctx));
  }
  return { recording, events };
}

export function pauseLiveRecording(aggregate: ConferenceAggregate, actor: Actor, ctx: DomainContext): DomainEvent[] {
  const recording = controlledRecording(aggregate, actor);
  assertConfirmed(aggregate, actor);
  pauseRecording(recording, ctx.now);
  return [{ type: 'recording.paused', conferenceId: aggregate.conference.id, recordingId: recording.id, recordedMs: recording.recordedMs }];
}

export function resumeLiveRecording(aggregate: ConferenceAggregate, actor: Actor, ctx: DomainContext): DomainEvent[] {
  const recording = controlledRecording(aggregate, actor);
  resumeRecording(recording, ctx.now);
  return [{ type: 'recording.resumed', conferenceId: aggregate.conference.id, recordingId: recording.id, recordedMs: recording.recordedMs }];
}

/** The first two ways of the manual: the timer's stop control and «Остановить запись» in the menu. */
export function stopLiveRecording(aggregate: ConferenceAggregate, actor: Actor, control: StopControl, ctx: DomainContext): DomainEvent[] {
  const recording = controlledRecording(aggregate, actor);
  assertConfirmed(aggregate, actor);
  return [endRecording(aggregate, recording, actor.userId, control, ctx)];
}

/**
 * Leaving, with the third way of the manual: «Завершить запись» before «Покинуть конференцию».
 * When the stop is refused the actor stays in the conference: nothing changes.
 */
export function leaveConference(aggregate: ConferenceAggregate, actor: Actor, options: { stopRecording: boolean }, ctx: DomainContext): DomainEvent[] {
  const participant = presentParticipant(aggregate, actor.userId);
  const events: DomainEvent[] = [];
  // «Завершить запись» races with other admins' stops: with nothing left to stop, leaving still
  // happens, but a user who may not control recording is refused either way.
  if (options.stopRecording) {
    assertMayControl(aggregate, actor);
    const recording = liveRecording(aggregate);
    if (recording) events.push(endRecording(aggregate, recording, actor.userId, 'leave', ctx));
  }
  events.push(...removeParticipant(aggregate, participant, { declinedRecording: false }, ctx));
  return events;
}

/**
 * Every connection of the participant has been gone for the grace period (a closed tab, a crashed
 * browser, a lost network, an appliance restart they did not come back from): they leave as by
 * «Покинуть конференцию» without «Завершить запись», with all that follows from it. Someone who has
 * already left, or a conference that has ended, is left as it is: the fact came too late to matter.
 */
export function loseConnection(aggregate: ConferenceAggregate, userId: string, ctx: DomainContext): DomainEvent[] {
  if (aggregate.conference.state !== 'active') return [];
  const participant = participantOf(aggregate, userId);
  if (!participant?.present) return [];
  return removeParticipant(aggregate, participant, { declinedRecording: false, connectionLost: true }, ctx);
}

export function answerPrompt(aggregate: ConferenceAggregate, actor: Actor, choice: PromptAnswer, ctx: DomainContext): DomainEvent[] {
  const participant = presentParticipant(aggregate, actor.userId);
  const prompt = pendingPromptOf(aggregate, actor.userId);
  if (!prompt) throw new ConflictError('there is no recording question waiting for your answer');
  answer(prompt, choice, ctx);
  if (choice === 'agree') return [recordConsent(aggregate, actor.userId, ctx)];
  return removeParticipant(aggregate, participant, { declinedRecording: true }, ctx);
}

export function assertMayReadChat(aggregate: ConferenceAggregate, userId: string): void {
  if (!participantOf(aggregate, userId)) throw new ForbiddenError("only the conference's participants can read its chat");
}

export function assertMayWriteChat(aggregate: ConferenceAggregate, userId: string): void {
  assertActive(aggregate);
  if (!participantOf(aggregate, userId)?.present) throw new ForbiddenError('join the conference to write in its chat');
}

function addParticipant(aggregate: ConferenceAggregate, actor: Actor, role: ParticipantData['role'], ctx: DomainContext): ParticipantData {
  const participant: ParticipantData = {
    id: ctx.newId(),
    conferenceId: aggregate.conference.id,
    userId: actor.userId,
    name: actor.name,
    serverId: actor.server.id,
    role,
    present: true,
    joinedAt: ctx.now,
    leftAt: null,
  };
  aggregate.participants.push(participant);
  return participant;
}

function askForConsent(aggregate: ConferenceAggregate, participant: ParticipantData, recording: RecordingData, ctx: DomainContext): DomainEvent[] {
  // The manual asks once per conference, even across recordings.
  if (hasConsented(aggregate, participant.userId)) return [];
  let prompt = pendingPromptOf(aggregate, participant.userId);
  if (!prompt) {
    const kind: PromptKind = participant.role === 'admin' ? 'admin-confirmation' : 'consent';
    prompt = { id: ctx.newId(), conferenceId: aggregate.conference.id, recordingId: recording.id, userId: participant.userId, kind, createdAt: ctx.now, answeredAt: null, answer: null };
    aggregate.prompts.push(prompt);
  }
  return [{ type: 'consent.requested', conferenceId: aggregate.conference.id, recordingId: prompt.recordingId, userId: participant.userId, promptId: prompt.id, kind: prompt.kind }];
}

function answer(prompt: PromptData, choice: PromptAnswer, ctx: DomainContext): void {
  prompt.answeredAt = ctx.now;
  prompt.answer = choice;
}

function recordConsent(aggregate: ConferenceAggregate, userId: string, ctx: DomainContext): DomainEvent {
  aggregate.consents.push({ id: ctx.newId(), conferenceId: aggregate.conference.id, userId, givenAt: ctx.now });
  return { type: 'consent.given', conferenceId: aggregate.conference.id, userId };
}

function removeParticipant(aggregate: ConferenceAggregate, participant: ParticipantData, how: { declinedRecording: boolean; connectionLost?: true }, ctx: DomainContext): DomainEvent[] {
  participant.present = false;
  participant.leftAt = ctx.now;
  const events: DomainEvent[] = [{ type: 'participant.left', conferenceId: aggregate.conference.id, userId: participant.userId, ...how }];
  const recording = liveRecording(aggregate);
  // The manual: the recording ends by itself once every admin has left. Admins whose server may not
  // control recording do not hold it open: nobody left could stop it; the reason then says that
  // admins remain, so that nobody is told every admin has gone.
  const admins = aggregate.participants.filter((p) => p.present && p.role === 'admin');
  if (recording && !admins.some((p) => ctx.server(p.serverId).rules.mayControlRecording)) {
    events.push(endRecording(aggregate, recording, null, admins.length > 0 ? 'controllers-left' : 'all-admins-left', ctx));
  }
  if (!aggregate.participants.some((p) => p.present)) {
    aggregate.conference.state = 'ended';
    aggregate.conference.endedAt = ctx.now;
    events.push({ type: 'conference.ended', conferenceId: aggregate.conference.id });
  }
  return events;
}

/**
 * The appliance ends a live recording itself (its pipeline failed, the disk is full): nobody chose
 * it, and what was recorded is processed and posted like after any stop, with the problem said.
 */
export function interruptLiveRecording(aggregate: ConferenceAggregate, recordingId: string, failure: { reason: 'failure' | 'disk-full'; problem: string }, now: Date): DomainEvent[] {
  const recording = liveRecording(aggregate);
  if (recording?.id !== recordingId) return [];
  const event = endRecording(aggregate, recording, null, failure.reason, { now });
  recording.problem = failure.problem;
  return [event];
}

/** The live recording's pipeline began writing at `at`: nobody acted, nothing to announce; the timer push carries it. */
export function recordingPipelineStarted(aggregate: ConferenceAggregate, recordingId: string, at: Date): DomainEvent[] {
  const recording = liveRecording(aggregate);
  if (recording?.id === recordingId) countFromPipelineStart(recording, at);
  return [];
}

function endRecording(aggregate: ConferenceAggregate, recording: RecordingData, by: string | null, reason: StopReason, ctx: Pick<DomainContext, 'now'>): DomainEvent {
  stopRecording(recording, { by, reason, now: ctx.now });
  // Questions about a recording that has ended lapse unanswered; the next recording asks afresh.
  for (const prompt of aggregate.prompts) {
    if (prompt.recordingId === recording.id && prompt.answeredAt === null) prompt.answeredAt = ctx.now;
  }
  return { type: 'recording.stopped', conferenceId: aggregate.conference.id, recordingId: recording.id, reason, recordedMs: recordedTime(recording, ctx.now) };
}

function controlledRecording(aggregate: ConferenceAggregate, actor: Actor): RecordingData {
  assertActive(aggregate);
  assertMayControl(aggregate, actor);
  const recording = liveRecording(aggregate);
  if (!recording) throw new ConflictError('no recording is under way in this conference');
  return recording;
}

function assertConfirmed(aggregate: ConferenceAggregate, actor: Actor): void {
  if (pendingPromptOf(aggregate, actor.userId)?.kind === 'admin-confirmation') {
    throw new ConfirmationPendingError('confirm your participation in the recording first («Согласен на запись»)');
  }
}

function assertMayControl(aggregate: ConferenceAggregate, actor: Actor): void {
  const refusal = recordingControlRefusal(aggregate, actor);
  if (refusal) throw new ForbiddenError(refusal);
}

function presentParticipant(aggregate: ConferenceAggregate, userId: string): ParticipantData {
  const participant = participantOf(aggregate, userId);
  if (!participant?.present) throw new ConflictError('you are not in this conference; join it first');
  return participant;
}

function assertActive(aggregate: ConferenceAggregate): void {
  if (aggregate.conference.state !== 'active') throw new ConflictError('the conference has ended');
}
