import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { Actor, ChatLink, ConferenceAggregate, DiskFloors, DomainContext, DomainEvent, PromptAnswer, RecordingModeSnapshot, StopControl, UsageLimits } from '../domain/index.ts';
import * as rules from '../domain/index.ts';
import { NotFoundError, RECORDINGS_BOT_NAME } from '../domain/index.ts';
import { AuditEntry, ChatMessage, Conference, Consent, MessengerServer, Participant, Prompt, Recording, RecordingMode } from '../db/entities/index.ts';
import { serverData } from '../auth/authenticator.ts';
import type { EventBus } from '../events/event-bus.ts';
import { chatMessageView, conferenceSummary, conferenceView, recordingView } from './views.ts';

export type Clock = () => Date;

/** The free space recordings are written to, and the floors kept above it (see domain/disk-space.ts). */
export interface RecordingsDiskSpace {
  freeBytes(): Promise<number>;
  floors: DiskFloors;
}

const UNWATCHED_DISK: RecordingsDiskSpace = { freeBytes: async () => Number.POSITIVE_INFINITY, floors: { startFloorBytes: 0, stopFloorBytes: 0 } };

type Command = (aggregate: ConferenceAggregate, ctx: DomainContext) => DomainEvent[];

/**
 * Runs the manual's rules against the database: each command locks its conference, loads it,
 * lets the domain decide, saves what changed with an audit entry per event, and publishes the
 * events once committed.
 */
export class ConferenceService {
  readonly #orm: MikroORM;
  readonly #bus: EventBus;
  readonly #clock: Clock;
  readonly #disk: RecordingsDiskSpace;
  readonly #limits: UsageLimits;

  constructor(orm: MikroORM, bus: EventBus, clock: Clock = () => new Date(), disk: RecordingsDiskSpace = UNWATCHED_DISK, limits: UsageLimits = rules.DEFAULT_USAGE_LIMITS) {
    this.#orm = orm;
    this.#bus = bus;
    this.#clock = clock;
    this.#disk = disk;
    this.#limits = limits;
  }

  now(): Date {
    return this.#clock();
  }

  async createConference(actor: Actor, title: string) {
    const now = this.#clock();
    const { aggregate, events } = rules.createConference(actor, title, this.#context(now, new Map([[actor.server.id, actor.server]])));
    await this.#orm.em.fork().transactional(async (em) => {
      rules.assertMayOpenConference(await em.count(Conference, { createdBy: actor.userId, state: 'active' }), this.#limits);
      this.#persistNew(em, aggregate);
      this.#audit(em, actor, events, now);
    });
    this.#bus.publish(events);
    return conferenceView(aggregate, actor, now);
  }

  async join(actor: Actor, conferenceId: string) {
    return this.#run(actor, conferenceId, (aggregate, ctx) => rules.joinConference(aggregate, actor, ctx));
  }

  async leave(actor: Actor, conferenceId: string, stopRecording: boolean) {
    return this.#run(actor, conferenceId, (aggregate, ctx) => rules.leaveConference(aggregate, actor, { stopRecording }, ctx));
  }

  async makeAdmin(actor: Actor, conferenceId: string, userId: string) {
    return this.#run(actor, conferenceId, (aggregate) => rules.makeAdmin(aggregate, actor, userId));
  }

  async startRecording(actor: Actor, conferenceId: string) {
    const mode = await this.#modeFor(actor);
    const freeBytes = await this.#disk.freeBytes();
    return this.#run(actor, conferenceId, (aggregate, ctx) => {
      const { events } = rules.startRecording(aggregate, actor, ctx, mode);
      // After the rules, so that whoever may not start at all is told that; the refusal rolls the start back.
      rules.assertRoomToStartRecording(freeBytes, this.#disk.floors);
      return events;
    });
  }

  async stopForFullDisk(conferenceId: string, freeBytes: number): Promise<void> {
    await this.#runAsAppliance(conferenceId, (aggregate, now) => rules.stopForFullDisk(aggregate, freeBytes, now));
  }

  /** A recording's pipeline failed: the recording ends with what it has, and the chat is told why. */
  async stopForPipelineFailure(conferenceId: string, recordingId: string, problem: string): Promise<void> {
    await this.#runAsAppliance(conferenceId, (aggregate, now) => rules.interruptLiveRecording(aggregate, recordingId, { reason: 'failure', problem }, now));
  }

  /** The recording's pipeline began writing at `at`: the timer counts from then (see countFromPipelineStart). */
  async recordingPipelineStarted(conferenceId: string, recordingId: string, at: Date): Promise<void> {
    await this.#runAsAppliance(conferenceId, (aggregate) => rules.recordingPipelineStarted(aggregate, recordingId, at));
  }

  /** Every connection of the participant has been gone for the grace period: they leave (see loseConnection). */
  async loseConnection(conferenceId: string, userId: string): Promise<void> {
    await this.#runAsAppliance(conferenceId, (aggregate, now, servers) => rules.loseConnection(aggregate, userId, this.#context(now, servers)));
  }

  /** Who is present in a conference that has not ended: after a restart, none of them holds a connection yet. */
  async presentParticipants(): Promise<Array<{ conferenceId: string; userId: string }>> {
    const em = this.#orm.em.fork();
    const active = await em.find(Conference, { state: 'active' }, { fields: ['id'] });
    const present = await em.find(Participant, { present: true, conferenceId: { $in: active.map((c) => c.id) } }, { fields: ['conferenceId', 'userId'] });
    return present.map(({ conferenceId, userId }) => ({ conferenceId, userId }));
  }

  /** The appliance acts on a conference itself: nobody chose it, so the audit names nobody. */
  async #runAsAppliance(conferenceId: string, command: (aggregate: ConferenceAggregate, now: Date, servers: Map<string, rules.ServerData>) => DomainEvent[]): Promise<void> {
    const now = this.#clock();
    let published: DomainEvent[] = [];
    await this.#orm.em.fork().transactional(async (em) => {
      const aggregate = await this.#load(em, conferenceId, true);
      published = command(aggregate, now, await this.#servers(em, aggregate));
      this.#audit(em, null, published, now);
    });
    this.#bus.publish(published);
  }

  async pauseRecording(actor: Actor, conferenceId: string) {
    return this.#run(actor, conferenceId, (aggregate, ctx) => rules.pauseLiveRecording(aggregate, actor, ctx));
  }

  async resumeRecording(actor: Actor, conferenceId: string) {
    return this.#run(actor, conferenceId, (aggregate, ctx) => rules.resumeLiveRecording(aggregate, actor, ctx));
  }

  async stopRecording(actor: Actor, conferenceId: string, control: StopControl) {
    return this.#run(actor, conferenceId, (aggregate, ctx) => rules.stopLiveRecording(aggregate, actor, control, ctx));
  }

  async answerPrompt(actor: Actor, conferenceId: string, answer: PromptAnswer) {
    return this.#run(actor, conferenceId, (aggregate, ctx) => rules.answerPrompt(aggregate, actor, answer, ctx));
  }

  async getConference(actor: Actor, conferenceId: string) {
    const em = this.#orm.em.fork();
    const aggregate = await this.#load(em, conferenceId, false);
    return conferenceView(aggregate, actor, this.#clock());
  }

  /** The actor's conferences: active ones first, then «Завершенные», newest first. */
  async listConferences(actor: Actor) {
    const em = this.#orm.em.fork();
    const mine = await em.find(Participant, { userId: actor.userId });
    const conferences = await em.find(Conference, { id: { $in: mine.map((p) => p.conferenceId) } }, { orderBy: { createdAt: 'desc' } });
    const role = new Map(mine.map((p) => [p.conferenceId, p]));
    const items = conferences.map((conference) => ({ conference, me: role.get(conference.id) }));
    const { active, completed } = rules.splitByState(items);
    const view = ({ conference, me }: (typeof items)[number]) => ({ ...conferenceSummary(conference), role: me?.role ?? null, present: me?.present ?? false });
    return { active: active.map(view), completed: completed.map(view) };
  }

  async listRecordings(actor: Actor, conferenceId: string) {
    const em = this.#orm.em.fork();
    const aggregate = await this.#load(em, conferenceId, false);
    rules.assertMayReadChat(aggregate, actor.userId);
    const now = this.#clock();
    return aggregate.recordings.map((r) => recordingView(r, now));
  }

  async readChat(actor: Actor, conferenceId: string, options: { after?: string; limit: number }) {
    const em = this.#orm.em.fork();
    const aggregate = await this.#load(em, conferenceId, false);
    rules.assertMayReadChat(aggregate, actor.userId);
    const after = options.after ? new Date(options.after) : new Date(0);
    const messages = await em.find(ChatMessage, { conferenceId, createdAt: { $gt: after } }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: options.limit });
    return messages.map(chatMessageView);
  }

  async postChatMessage(actor: Actor, conferenceId: string, text: string) {
    const normalised = rules.normaliseChatText(text);
    const em = this.#orm.em.fork();
    const aggregate = await this.#load(em, conferenceId, false);
    rules.assertMayWriteChat(aggregate, actor.userId);
    return this.#post(em, { conferenceId, authorUserId: actor.userId, authorName: actor.name, text: normalised, links: [] });
  }

  /** The Recordings Bot's message; it may post into ended conferences, whose chat is kept. */
  async postBotMessage(conferenceId: string, text: string, links: ChatLink[]) {
    return this.#post(this.#orm.em.fork(), { conferenceId, authorUserId: null, authorName: RECORDINGS_BOT_NAME, text, links });
  }

  async #post(em: EntityManager, message: Pick<ChatMessage, 'conferenceId' | 'authorUserId' | 'authorName' | 'text' | 'links'>) {
    const entity = em.create(ChatMessage, { id: crypto.randomUUID(), createdAt: this.#clock(), ...message });
    await em.flush();
    const view = chatMessageView(entity);
    this.#bus.publish([{ type: 'chat.message', conferenceId: message.conferenceId, message: view }]);
    return view;
  }

  async #run(actor: Actor, conferenceId: string, command: Command): Promise<ReturnType<typeof conferenceView>> {
    const now = this.#clock();
    let published: DomainEvent[] = [];
    let view!: ReturnType<typeof conferenceView>;
    await this.#orm.em.fork().transactional(async (em) => {
      const aggregate = await this.#load(em, conferenceId, true);
      const servers = await this.#servers(em, aggregate, actor);
      published = command(aggregate, this.#context(now, servers));
      this.#persistNew(em, aggregate);
      this.#audit(em, actor, published, now);
      view = conferenceView(aggregate, actor, now);
    });
    this.#bus.publish(published);
    return view;
  }

  /** The starter's server's mode, else the appliance's default; null only if no mode exists at all. */
  async #modeFor(actor: Actor): Promise<RecordingModeSnapshot | null> {
    const em = this.#orm.em.fork();
    const server = await em.findOne(MessengerServer, actor.server.id);
    const mode = (server?.defaultModeId ? await em.findOne(RecordingMode, server.defaultModeId) : null) ?? (await em.findOne(RecordingMode, { isDefault: true }));
    if (!mode) return null;
    const { kind, width, height, fps, videoBitrateKbps, container, audioCodec, onlyConsenting } = mode;
    return { id: mode.id, name: mode.name, settings: { kind, width, height, fps, videoBitrateKbps, container, audioCodec, onlyConsenting } };
  }

  async #load(em: EntityManager, conferenceId: string, lock: boolean): Promise<ConferenceAggregate> {
    const conference = await em.findOne(Conference, conferenceId, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
    if (!conference) throw new NotFoundError('no such conference');
    // One after another: inside a transaction they share one connection.
    const participants = await em.find(Participant, { conferenceId }, { orderBy: { joinedAt: 'asc' } });
    const recordings = await em.find(Recording, { conferenceId }, { orderBy: { number: 'asc' } });
    const consents = await em.find(Consent, { conferenceId });
    const prompts = await em.find(Prompt, { conferenceId, answeredAt: null });
    return { conference, participants, recordings, consents, prompts };
  }

  async #servers(em: EntityManager, aggregate: ConferenceAggregate, actor?: Actor) {
    const ids = new Set(aggregate.participants.map((p) => p.serverId));
    if (actor) ids.delete(actor.server.id);
    const found = ids.size ? await em.find(MessengerServer, { id: { $in: [...ids] } }) : [];
    return new Map([...(actor ? [[actor.server.id, actor.server] as const] : []), ...found.map((s) => [s.id, serverData(s)] as const)]);
  }

  #context(now: Date, servers: Map<string, rules.ServerData>): DomainContext {
    return {
      now,
      newId: () => crypto.randomUUID(),
      server: (id) => {
        const server = servers.get(id);
        if (!server) throw new Error(`server ${id} of a participant was not loaded`);
        return server;
      },
    };
  }

  /** Objects the rules added are plain; the ones loaded are entities the unit of work tracks. */
  #persistNew(em: EntityManager, aggregate: ConferenceAggregate): void {
    if (!(aggregate.conference instanceof Conference)) em.create(Conference, aggregate.conference);
    for (const p of aggregate.participants) if (!(p instanceof Participant)) em.create(Participant, p);
    for (const r of aggregate.recordings) if (!(r instanceof Recording)) em.create(Recording, { ...r, modeId: r.mode?.id ?? null });
    for (const c of aggregate.consents) if (!(c instanceof Consent)) em.create(Consent, c);
    for (const p of aggregate.prompts) if (!(p instanceof Prompt)) em.create(Prompt, p);
  }

  #audit(em: EntityManager, actor: Actor | null, events: DomainEvent[], at: Date): void {
    for (const event of events) {
      const systemMade = event.type === 'recording.stopped' && rules.isAutomaticStop(event.reason);
      const by = systemMade ? null : actor;
      em.create(AuditEntry, {
        at,
        action: event.type,
        actorUserId: by?.userId ?? null,
        actorName: by?.name ?? null,
        actorServerId: by?.server.id ?? null,
        conferenceId: event.conferenceId,
        recordingId: 'recordingId' in event ? event.recordingId : null,
        details: event.type === 'participant.left' && event.connectionLost ? { ...event, cause: 'соединение потеряно' } : { ...event },
      });
    }
  }
}
