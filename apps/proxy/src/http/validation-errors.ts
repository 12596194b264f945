import type { ValidationError } from 'class-validator';
import { ValidationFailed, type FieldError } from '@ruleshift/contracts';

/**
 * Flattens class-validator's tree into body paths: dotted for properties
 * (`jobConfig.connectors.inputQueue`), bracketed for list items (`stages[1].name`).
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ field, reason: stripPropertyPrefix(message, error.property) });
    }
    result.push(...flattenValidationErrors(error.children ?? [], field));
  }
  return result;
}

/** class-validator messages start with the property name; the field already says it. */
function stripPropertyPrefix(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

/** ValidationPipe exceptionFactory: one ValidationFailed for the whole body. */
export function validationFailedFrom(errors: ValidationError[]): ValidationFailed {
  const fields = flattenValidationErrors(errors);
  return new ValidationFailed(
    fields.length > 0 ? fields : [{ field: 'body', reason: 'is invalid' }],
  );
}
