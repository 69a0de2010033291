import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InvalidInputError } from '../domain/index.ts';

export type JsonSchema = Record<string, unknown>;

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule.default;

const ajv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: true, removeAdditional: false, strict: true });
addFormats(ajv, ['uuid', 'date-time']);

/** Compiles a schema once; the validator throws the domain's invalid-input error naming the field. */
export function compileValidator(schema: JsonSchema, where: 'body' | 'query' | 'path'): (value: unknown) => void {
  const validate: ValidateFunction = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return;
    const error = validate.errors?.[0];
    throw new InvalidInputError(describe(error, where), fieldOf(error));
  };
}

function fieldOf(error: ErrorObject | undefined): string | undefined {
  if (!error) return undefined;
  if (error.keyword === 'required') return String(error.params.missingProperty);
  if (error.keyword === 'additionalProperties') return String(error.params.additionalProperty);
  const field = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  return field || undefined;
}

function describe(error: ErrorObject | undefined, where: string): string {
  if (!error) return `invalid ${where}`;
  const field = fieldOf(error);
  switch (error.keyword) {
    case 'required':
      return `${where} field "${field}" is required`;
    case 'additionalProperties':
      return `${where} field "${field}" is not accepted here`;
    case 'enum':
      return `${where} field "${field}" must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return field ? `${where} field "${field}" must be ${error.params.type}` : `the ${where} must be a JSON ${error.params.type}`;
    default:
      return field ? `${where} field "${field}" ${error.message}` : `the ${where} ${error.message}`;
  }
}
