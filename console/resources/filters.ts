import type { Filter } from 'adminjs';
import { ForbiddenError } from '../../appliance/domain/errors.ts';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A condition no row meets: a malformed id or number finds nothing instead of failing the query. */
const NOTHING = { $in: [] };

export function columnType(property: unknown): string | undefined {
  const column = (property as { getColumnMetadata?: () => { columnTypes?: string[] } }).getColumnMetadata?.();
  return column?.columnTypes?.[0];
}

/** Text as a case-insensitive LIKE pattern that matches it literally. */
export function containing(text: string): { $ilike: string } {
  return { $ilike: `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` };
}

/** Conditions for properties the console derives rather than stores, by property name. */
export type DerivedFilters = Record<string, (value: string) => Record<string, unknown>>;

/**
 * A list filtered on a property the resource's filter does not offer: a hidden or secret one (a
 * token key, a webhook's secret) would answer its values' prefixes one row count at a time.
 */
export class FilterNotOfferedError extends ForbiddenError {
  constructor(property: string) {
    super(`Фильтр по полю «${property}» недоступен`, property);
  }
}

/**
 * AdminJS's list filters as a MikroORM query, on the properties in `offered` only. Unlike the adapter's own conversion, text matches
 * regardless of case and literally (no LIKE wildcards from the input), and ids compare exactly.
 */
export function filterQuery(filter: Filter | undefined, offered: ReadonlySet<string>, derived: DerivedFilters = {}): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  for (const [name, element] of Object.entries(filter?.filters ?? {})) {
    if (!offered.has(name)) throw new FilterNotOfferedError(name);
    const { property, value } = element;
    if (derived[name]) {
      if (typeof value === 'string') Object.assign(where, derived[name](value));
      continue;
    }
    const type = property.type();
    if (typeof value !== 'string') {
      const range: Record<string, Date> = {};
      if (value.from) range.$gte = new Date(value.from);
      if (value.to) range.$lte = new Date(value.to);
      if (Object.keys(range).length > 0) where[name] = range;
    } else if (type === 'boolean') {
      where[name] = value === 'true';
    } else if (type === 'number') {
      where[name] = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : NOTHING;
    } else if (type === 'reference' || columnType(property) === 'uuid') {
      where[name] = UUID.test(value) ? value : NOTHING;
    } else if (property.availableValues()) {
      where[name] = value;
    } else {
      where[name] = containing(value);
    }
  }
  return where;
}
