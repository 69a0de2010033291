import { ValidationError } from 'adminjs';
import type { ActionContext, ActionRequest, Before } from 'adminjs';
import { DriverException } from '@mikro-orm/core';
import { DomainError } from '../../appliance/domain/errors.ts';

/** A refusal of the domain as AdminJS shows it: on the field at fault, else as the page's notice. */
function asValidationError(error: DomainError): ValidationError {
  const problem = { message: error.message, type: error.code };
  return error.field ? new ValidationError({ [error.field]: problem }) : new ValidationError({}, problem);
}

/**
 * A violated constraint as an error on the field of its column when MikroORM named it
 * `<table>_<column>_unique|foreign`, else on the whole record; its message is a translation key.
 */
function constraintError(error: DriverException & { constraint?: string; table?: string }, fields: readonly string[]): ValidationError | undefined {
  const kind = error.name === 'UniqueConstraintViolationException' ? 'alreadyTaken' : error.name === 'ForeignKeyConstraintViolationException' ? 'noSuchRecord' : undefined;
  if (!kind) return undefined;
  const column = error.constraint && error.table ? error.constraint.slice(error.table.length + 1).replace(/_(unique|foreign)$/, '') : '';
  const field = column.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
  const problem = { message: kind, type: kind };
  return fields.includes(field) ? new ValidationError({ [field]: problem }) : new ValidationError({}, problem);
}

/** Domain refusals and constraint violations (on `fields` where they fit) as validation errors; anything else as it is. */
export function toConsoleError(error: unknown, fields: readonly string[] = []): unknown {
  if (error instanceof DomainError) return asValidationError(error);
  if (error instanceof DriverException) return constraintError(error, fields) ?? error;
  return error;
}

/** The values a form submits, over the record's current ones when it edits. */
export type FormValues = Record<string, unknown>;

/**
 * A before hook that runs domain checks on what a form submits; they throw DomainError, which the
 * form shows on its field. `check` may return a replacement payload (e.g. with an unchanged secret
 * left out).
 */
export function checkedBy(check: (values: FormValues, context: ActionContext) => FormValues | void): Before {
  return async (request: ActionRequest, context: ActionContext) => {
    if (request.method !== 'post') return request;
    const values = { ...(context.record?.params ?? {}), ...(request.payload ?? {}) };
    try {
      const payload = check(values, context);
      return payload ? { ...request, payload } : request;
    } catch (error) {
      throw toConsoleError(error);
    }
  };
}

/**
 * A before hook for editing records whose domain check runs once the values are set: AdminJS sends a
 * cleared field as null, which MikroORM refuses for a required column with an error of its own
 * before the domain has looked; sent on as '', it gets the domain's refusal on its field.
 */
export function clearedAsBlank(fields: readonly string[]): Before {
  return async (request) => {
    const cleared = fields.filter((field) => request.payload?.[field] === null);
    if (request.method !== 'post' || cleared.length === 0) return request;
    return { ...request, payload: { ...request.payload, ...Object.fromEntries(cleared.map((field) => [field, ''])) } };
  };
}
