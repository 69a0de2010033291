import crypto from 'node:crypto';
import { Resource } from '@adminjs/mikroorm';
import { BaseRecord, flat } from 'adminjs';
import type { ActionContext, Filter } from 'adminjs';
import { LockMode, wrap } from '@mikro-orm/core';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { auditConsoleAction } from '../audit.ts';
import { UUID, columnType, filterQuery } from './filters.ts';
import type { DerivedFilters } from './filters.ts';
import { toConsoleError } from './validation.ts';

/** What a write adds to its audit entry, and work to do only once it has committed. */
export interface WriteOutcome {
  details?: Record<string, unknown>;
  afterCommit?: () => Promise<void>;
}

type Params = Record<string, unknown>;

/** How the console changes a resource's records. */
export interface WriteSpec<E extends object> {
  /** Names the record in audit actions: `console.<auditName>.created|updated|deleted`. */
  auditName: string;
  /** What the record is called in its audit entries. */
  label: (entity: E) => string;
  /** Fields the console writes; anything else a request carries is ignored. */
  writable?: readonly (keyof E & string)[];
  /** Fields whose values never reach the audit log, only the fact that they changed. */
  secret?: readonly (keyof E & string)[];
  /** Values of a new record that its form left out. */
  defaults?: (params: Params) => Params;
  /** Runs in the saving transaction, after the values are set: domain checks and related changes. */
  beforeSave?: (tx: EntityManager, entity: E, previous: Params | null) => Promise<WriteOutcome | void>;
  /** Runs in the deleting transaction: domain checks; the outcome may remove files once committed. */
  beforeDelete?: (tx: EntityManager, entity: E) => Promise<WriteOutcome | void>;
  /** The conference and recording an audit entry names. */
  auditRefs?: (entity: E) => { conferenceId?: string | null; recordingId?: string | null };
}

export interface ConsoleResourceSpec<E extends object> {
  model: EntityClass<E>;
  /** Params as the console shows them, in the order given: derived values, JSON as text. */
  present?: (em: EntityManager, entities: E[]) => Promise<Params[]>;
  /** More for a single record's page (e.g. a recording's files). */
  presentOne?: (em: EntityManager, entity: E) => Promise<Params>;
  /** How derived values are searched, e.g. a recording's title by its conference's. */
  filters?: DerivedFilters;
  /** Without it the resource is read-only. */
  writes?: WriteSpec<E>;
}

function same(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The MikroORM adapter's resource, made fit for the console: every write runs in one transaction with
 * its audit entry and the domain's checks, refusals come back as validation errors instead of being
 * logged and dropped, new rows get their uuid, and filters match text regardless of case.
 */
export class ConsoleResource<E extends object> extends Resource {
  readonly #orm: MikroORM;
  readonly #spec: ConsoleResourceSpec<E>;

  constructor(orm: MikroORM, spec: ConsoleResourceSpec<E>) {
    super({ model: spec.model, orm });
    this.#orm = orm;
    this.#spec = spec;
  }

  override async count(filter: Filter): Promise<number> {
    return this.#orm.em.fork().count(this.#spec.model, this.#where(filter));
  }

  override async find(filter: Filter, options: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } } = {}): Promise<BaseRecord[]> {
    const { limit = 10, offset = 0, sort = {} } = options;
    const entities = await this.#orm.em.fork().find(this.#spec.model, this.#where(filter), {
      // Derived values (a recording's title) cannot be sorted in the database.
      orderBy: (sort.sortBy && this.property(sort.sortBy) ? { [sort.sortBy]: sort.direction ?? 'asc' } : {}) as never,
      limit,
      offset,
    });
    return this.#records(entities);
  }

  /**
   * The filter's query, on the properties the resource's filter shows, the title the search box
   * looks in, and the filters the resource derives itself; nothing else.
   */
  #where(filter: Filter): FilterQuery<E> {
    const decorated = this.decorate();
    const offered = new Set([
      ...decorated.getProperties({ where: 'filter' }).map((property) => property.propertyPath),
      decorated.titleProperty().propertyPath,
      ...Object.keys(this.#spec.filters ?? {}),
    ]);
    return filterQuery(filter, offered, this.#spec.filters) as FilterQuery<E>;
  }

  override async findOne(id: string | number): Promise<BaseRecord | null> {
    if (!this.#isKey(id)) return null;
    const em = this.#orm.em.fork();
    const entity = await em.findOne(this.#spec.model, id as FilterQuery<E>);
    if (!entity) return null;
    const [params] = await this.#params([entity]);
    return new BaseRecord({ ...params, ...(await this.#spec.presentOne?.(em, entity)) }, this);
  }

  override async findMany(ids: Array<string | number>): Promise<BaseRecord[]> {
    const entities = await this.#orm.em.fork().find(this.#spec.model, { [this.#primaryKey()]: { $in: ids.filter((id) => this.#isKey(id)) } } as FilterQuery<E>);
    return this.#records(entities);
  }

  override async create(params: Params, context?: ActionContext): Promise<Params> {
    return this.#write(context, 'created', async (tx) => {
      const values = { ...this.#writes.defaults?.(params), ...this.#writable(params) };
      const entity = tx.create(this.#spec.model, { ...values, id: crypto.randomUUID() } as never);
      const outcome = await this.#writes.beforeSave?.(tx, entity, null);
      return { entity, details: { ...this.#audited(values), ...outcome?.details }, afterCommit: outcome?.afterCommit };
    });
  }

  override async update(id: string | number, params: Params = {}, context?: ActionContext): Promise<Params> {
    return this.#write(context, 'updated', async (tx) => {
      const entity = await tx.findOneOrFail(this.#spec.model, id as FilterQuery<E>, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const fields = this.#writes.writable ?? [];
      const previous = Object.fromEntries(fields.map((field) => [field, entity[field]]));
      wrap(entity).assign(this.#writable(params) as never);
      const outcome = await this.#writes.beforeSave?.(tx, entity, previous);
      const changed = fields.filter((field) => !same(previous[field], entity[field]));
      const changes = Object.fromEntries(changed.map((field) => [field, this.#writes.secret?.includes(field) ? 'changed' : { from: previous[field], to: entity[field] }]));
      // Saving a form unchanged changes nothing, so it leaves no entry.
      const details = changed.length > 0 || outcome?.details ? { changes, ...outcome?.details } : undefined;
      return { entity, details, afterCommit: outcome?.afterCommit };
    });
  }

  override async delete(id: string | number, context?: ActionContext): Promise<void> {
    await this.#write(context, 'deleted', async (tx) => {
      const entity = await tx.findOneOrFail(this.#spec.model, id as FilterQuery<E>, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const outcome = await this.#writes.beforeDelete?.(tx, entity);
      tx.remove(entity);
      return { entity, details: { ...outcome?.details }, afterCommit: outcome?.afterCommit };
    });
  }

  async #write(context: ActionContext | undefined, verb: string, work: (tx: EntityManager) => Promise<{ entity: E; details: Params | undefined; afterCommit?: () => Promise<void> }>): Promise<Params> {
    let done: Awaited<ReturnType<typeof work>>;
    try {
      done = await this.#orm.em.fork().transactional(async (tx) => {
        const result = await work(tx);
        if (result.details) {
          auditConsoleAction(tx, context?.currentAdmin, `${this.#writes.auditName}.${verb}`, {
            details: { id: this.#id(result.entity), name: this.#writes.label(result.entity), ...result.details },
            ...this.#writes.auditRefs?.(result.entity),
          });
        }
        return result;
      });
    } catch (error) {
      throw toConsoleError(error, this.#writes.writable ?? []);
    }
    await done.afterCommit?.();
    const [params] = await this.#params([done.entity]);
    // Null, not absent: AdminJS merges these over the submitted form, which holds the secret.
    const wiped = Object.fromEntries((this.#writes.secret ?? []).map((field) => [field, null]));
    return flat.flatten({ ...params, ...wiped });
  }

  get #writes(): WriteSpec<E> {
    if (!this.#spec.writes) throw new Error(`${this.id()} is read-only in the console`);
    return this.#spec.writes;
  }

  #writable(params: Params): Params {
    const unflattened = flat.unflatten(params) as Params;
    return Object.fromEntries((this.#writes.writable ?? []).filter((field) => field in unflattened).map((field) => [field, unflattened[field]]));
  }

  #audited(values: Params): Params {
    return Object.fromEntries(Object.entries(values).map(([field, value]) => [field, this.#writes.secret?.includes(field as keyof E & string) ? 'set' : value]));
  }

  async #params(entities: E[]): Promise<Params[]> {
    const shown = (await this.#spec.present?.(this.#orm.em.fork(), entities)) ?? [];
    return entities.map((entity, index) => ({ ...wrap(entity).toObject(), ...shown[index] }));
  }

  async #records(entities: E[]): Promise<BaseRecord[]> {
    return (await this.#params(entities)).map((params) => new BaseRecord(params, this));
  }

  #primaryKey(): string {
    return this.#keyProperty().path();
  }

  #keyProperty() {
    const id = this.properties().find((property) => property.isId());
    if (!id) throw new Error(`${this.id()} has no primary key`);
    return id;
  }

  /** Ids come from URLs and filters: one that cannot be a key finds nothing rather than failing the query. */
  #isKey(id: unknown): boolean {
    return columnType(this.#keyProperty()) !== 'uuid' || UUID.test(String(id));
  }

  #id(entity: E): unknown {
    return (entity as Record<string, unknown>)[this.#primaryKey()];
  }
}
