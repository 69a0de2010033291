import type { ExecutionContext } from 'ava';
import type { Actor, ConferenceAggregate, DomainContext, DomainEvent, PromptData, ServerData } from '../../appliance/domain/index.ts';
import { DomainError, createConference, defaultServerRules, joinConference, makeAdmin, pendingPromptOf } from '../../appliance/domain/index.ts';

export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

/** A context with a clock the test moves by hand and ids that count up: id-1, id-2, … */
export class TestContext implements DomainContext {
  private ms: number;
  private seq = 0;
  private readonly servers = new Map<string, ServerData>();

  constructor(servers: ServerData[], startMs: number = T0) {
    this.ms = startMs;
    for (const server of servers) this.servers.set(server.id, server);
  }

  get now(): Date {
    return new Date(this.ms);
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  setTime(ms: number): void {
    this.ms = ms;
  }

  newId(): string {
    this.seq += 1;
    return `id-${this.seq}`;
  }

  server(serverId: string): ServerData {
    const server = this.servers.get(serverId);
    if (!server) throw new Error(`test fixture: unknown server ${serverId}`);
    return server;
  }
}

export function corporateServer(id = 'srv-corp', name = 'Корпоративный'): ServerData {
  return { id, name, kind: 'corporate', rules: defaultServerRules('corporate') };
}

export function regionalServer(id = 'srv-region', name = 'Региональный'): ServerData {
  return { id, name, kind: 'regional', rules: defaultServerRules('regional') };
}

export interface World {
  ctx: TestContext;
  corp: ServerData;
  corp2: ServerData;
  region: ServerData;
  /** Corporate users. */
  alice: Actor;
  bob: Actor;
  carol: Actor;
  dave: Actor;
  /** A user of the second corporate server. */
  erin: Actor;
  /** Users of the regional server. */
  rita: Actor;
  roman: Actor;
  /** Someone who never joins. */
  outsider: Actor;
}

export function actor(userId: string, name: string, server: ServerData): Actor {
  return { userId, name, server };
}

/** A corporate server, a regional server and a second corporate server, all with default rules. */
export function world(extraServers: ServerData[] = []): World {
  const corp = corporateServer();
  const corp2 = corporateServer('srv-corp2', 'Второй корпоративный');
  const region = regionalServer();
  const ctx = new TestContext([corp, corp2, region, ...extraServers]);
  return {
    ctx,
    corp,
    corp2,
    region,
    alice: actor('u-alice', 'Алиса', corp),
    bob: actor('u-bob', 'Борис', corp),
    carol: actor('u-carol', 'Карина', corp),
    dave: actor('u-dave', 'Денис', corp),
    erin: actor('u-erin', 'Эрик', corp2),
    rita: actor('u-rita', 'Рита', region),
    roman: actor('u-roman', 'Роман', region),
    outsider: actor('u-out', 'Посторонний', corp),
  };
}

/** `creator` creates a conference and everyone in `joiners` joins it, in order. */
export function conferenceWith(w: World, creator: Actor, joiners: Actor[] = [], title = 'Планёрка'): ConferenceAggregate {
  const { aggregate } = createConference(creator, title, w.ctx);
  for (const joiner of joiners) joinConference(aggregate, joiner, w.ctx);
  return aggregate;
}

/** `by` (an admin) makes each of `targets` an admin. */
export function promote(aggregate: ConferenceAggregate, by: Actor, targets: Actor[]): void {
  for (const target of targets) makeAdmin(aggregate, by, target.userId);
}

export function snapshot(aggregate: ConferenceAggregate): ConferenceAggregate {
  return structuredClone(aggregate);
}

export function pending(aggregate: ConferenceAggregate, who: Actor): PromptData | undefined {
  return pendingPromptOf(aggregate, who.userId);
}

export function present(aggregate: ConferenceAggregate): string[] {
  return aggregate.participants.filter((p) => p.present).map((p) => p.userId);
}

export function types(events: DomainEvent[]): string[] {
  return events.map((e) => e.type);
}

/**
 * Asserts that `command` is refused with exactly `errorClass` (and, when given, a message matching
 * `message`) and that the aggregate is deep-equal to what it was before.
 */
export function assertRefused(
  t: ExecutionContext,
  aggregate: ConferenceAggregate,
  command: () => unknown,
  errorClass: abstract new (...args: never[]) => DomainError,
  message?: RegExp,
): DomainError {
  const before = snapshot(aggregate);
  const error = t.throws(command, { instanceOf: errorClass as unknown as new (...args: unknown[]) => Error });
  t.deepEqual(aggregate, before, 'a refused command must change nothing');
  if (error && message) t.regex(error.message, message);
  t.true(error instanceof DomainError);
  return error as DomainError;
}
