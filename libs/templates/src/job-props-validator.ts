import Ajv2020 from 'ajv/dist/2020';
import AjvDraft07, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ValidationFailed, type FieldError } from '@ruleshift/contracts';
import { fieldNamePath, validateJsonPath } from '@ruleshift/engine';
import { JOB_PROPS_CHECKS, JOB_PROPS_CHECK_KEYWORD } from './job-props-checks';

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
      throw new ValidationFailed(toFieldErrors(this.validateFn.errors ?? [], copy));
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
    // What JSON Schema cannot say precisely (e.g. business rules' condition trees): a named
    // check of the whole jobProps, reporting its own field names (see job-props-checks).
    ajv.addKeyword({
      keyword: JOB_PROPS_CHECK_KEYWORD,
      schemaType: 'string',
      errors: true,
      compile(name: string) {
        const check = JOB_PROPS_CHECKS[name];
        if (!check) throw new Error(`unknown ${JOB_PROPS_CHECK_KEYWORD} "${name}"`);
        const validate = (data: unknown): boolean => {
          const problems = check(data);
          validate.errors = problems.map((p) => ({
            keyword: JOB_PROPS_CHECK_KEYWORD,
            instancePath: '',
            schemaPath: '',
            params: { field: p.field },
            message: p.reason,
          }));
          return problems.length === 0;
        };
        validate.errors = [] as ErrorObject[];
        return validate;
      },
    });
    return ajv;
  }
}

/** `data` (the validated jobProps) tells array indexes apart: `jobProps.rules[2].name`. */
export function toFieldErrors(errors: ErrorObject[], data?: unknown): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors) {
    const fieldError = toFieldError(error, data);
    const key = `${fieldError.field}\u0000${fieldError.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(fieldError);
  }
  return result;
}

function toFieldError(error: ErrorObject, data: unknown): FieldError {
  const base = fieldName(pointerSegments(error.instancePath), data);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case JOB_PROPS_CHECK_KEYWORD:
      return { field: String(params.field), reason: error.message ?? 'is invalid' };
    case 'required':
      return { field: `${base}.${String(params.missingProperty)}`, reason: 'is required' };
    case 'additionalProperties':
      return {
        field: `${base}.${String(params.additionalProperty)}`,
        reason: 'is not a known property of this template',
      };
    case 'enum':
      return {
        field: base,
        reason: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'type':
      return { field: base, reason: `must be of type ${formatTypes(params.type)}` };
    case 'format':
      return params.format === JSON_PATH_FORMAT
        ? {
            field: base,
            reason: `is not a supported JSONPath (${jsonPathReason(error.data)})`,
          }
        : { field: base, reason: error.message ?? 'has an invalid format' };
    default:
      return { field: base, reason: error.message ?? `fails ${error.keyword}` };
  }
}

/** `jobProps.rules[2].when`: keys dotted, indexes of arrays in `data` bracketed. */
function fieldName(segments: string[], data: unknown): string {
  let field = 'jobProps';
  let current = data;
  for (const segment of segments) {
    field += Array.isArray(current) && /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[segment]
        : undefined;
  }
  return field;
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
