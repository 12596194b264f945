import Ajv2020 from 'ajv/dist/2020';
import AjvDraft07, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationFailed, type FieldError } from '@ruleshift/contracts';
import { fieldNamePath, validateJsonPath } from '@ruleshift/engine';

const DRAFT_07 = /json-schema\.org\/draft-07/;
/** `"format": "jsonpath"` in a template's jobPropsSchema: the engines' JSONPath subset. */
export const JSON_PATH_FORMAT = 'jsonpath';

/**
 * Compiles a template's jobProps JSON Schema once and turns Ajv errors into field errors named
 * as in the request body (`jobProps.threshold`), so the API reports them like any other field.
 * `resolve` is the one place jobProps are normalised: what it returns goes into the rule's
 * config, so the edge engine and Flink receive the same resolved values.
 */
export class JobPropsValidator {
  private static readonly ajv2020 = JobPropsValidator.createAjv(
    new Ajv2020({ allErrors: true, strict: false, verbose: true, useDefaults: true }),
  );
  private static readonly ajv07 = JobPropsValidator.createAjv(
    new AjvDraft07({ allErrors: true, strict: false, verbose: true, useDefaults: true }),
  );

  private readonly validateFn: ValidateFunction;
  private readonly addressesFieldByName: boolean;

  /** Throws (Ajv's error) when the schema itself is invalid. */
  constructor(schema: Record<string, unknown>) {
    const declared = typeof schema.$schema === 'string' ? schema.$schema : '';
    const ajv = DRAFT_07.test(declared) ? JobPropsValidator.ajv07 : JobPropsValidator.ajv2020;
    this.validateFn = ajv.compile(schema);
    const properties = (schema.properties ?? {}) as Record<string, unknown>;
    this.addressesFieldByName = 'fieldName' in properties && 'fieldJsonPath' in properties;
  }

  /**
   * Validates a copy of `jobProps` and returns it resolved: the schema's defaults filled in,
   * and `fieldJsonPath` set from `fieldName` (one top-level key, see fieldNamePath) when the
   * template has both and only the name was given. Throws ValidationFailed naming the fields.
   */
  resolve(jobProps: unknown): Record<string, unknown> {
    const copy: unknown = structuredClone(jobProps);
    if (!this.validateFn(copy)) {
      throw new ValidationFailed(toFieldErrors(this.validateFn.errors ?? []));
    }
    const resolved = copy as Record<string, unknown>;
    if (
      this.addressesFieldByName &&
      resolved.fieldJsonPath === undefined &&
      typeof resolved.fieldName === 'string'
    ) {
      resolved.fieldJsonPath = fieldNamePath(resolved.fieldName);
    }
    return resolved;
  }

  private static createAjv<T extends Ajv2020 | AjvDraft07>(ajv: T): T {
    addFormats(ajv);
    // Paths are compiled by the engines at start; checking them here turns a typo into a 400
    // at install instead of a rule that fails on its first event.
    ajv.addFormat(JSON_PATH_FORMAT, {
      type: 'string',
      validate: (p) => validateJsonPath(p) === null,
    });
    return ajv;
  }
}

export function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors) {
    const fieldError = toFieldError(error);
    const key = `${fieldError.field}\u0000${fieldError.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(fieldError);
  }
  return result;
}

function toFieldError(error: ErrorObject): FieldError {
  const base = ['jobProps', ...pointerSegments(error.instancePath)];
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { field: [...base, String(params.missingProperty)].join('.'), reason: 'is required' };
    case 'additionalProperties':
      return {
        field: [...base, String(params.additionalProperty)].join('.'),
        reason: 'is not a known property of this template',
      };
    case 'enum':
      return {
        field: base.join('.'),
        reason: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'type':
      return { field: base.join('.'), reason: `must be of type ${formatTypes(params.type)}` };
    case 'format':
      return params.format === JSON_PATH_FORMAT
        ? {
            field: base.join('.'),
            reason: `is not a supported JSONPath (${jsonPathReason(error.data)})`,
          }
        : { field: base.join('.'), reason: error.message ?? 'has an invalid format' };
    default:
      return { field: base.join('.'), reason: error.message ?? `fails ${error.keyword}` };
  }
}

function jsonPathReason(value: unknown): string {
  return typeof value === 'string' ? (validateJsonPath(value) ?? 'invalid') : 'not a string';
}

function formatTypes(type: unknown): string {
  return Array.isArray(type) ? type.join(' or ') : String(type);
}

/** `/a/b~1c/0` -> ['a', 'b/c', '0'] (JSON Pointer unescaping). */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
