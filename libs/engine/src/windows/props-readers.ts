/** Readers for jobProps fields that throw ValidationFailed naming `jobProps.<field>`. */
import { ValidationFailed } from '@ruleshift/contracts';

export type Props = Record<string, unknown>;

export const invalidProp = (field: string, reason: string): ValidationFailed =>
  new ValidationFailed([{ field: field ? `jobProps.${field}` : 'jobProps', reason }]);

export function propsObject(value: unknown, field: string): Props {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidProp(field, 'must be an object');
  }
  return value as Props;
}

export function optionalString(props: Props, name: string, field = name): string | undefined {
  const value = props[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw invalidProp(field, 'must be a non-empty string');
  return value;
}

export function requiredString(props: Props, name: string, field = name): string {
  const value = optionalString(props, name, field);
  if (value === undefined) throw invalidProp(field, 'is required');
  return value;
}

export function optionalInteger(
  props: Props,
  name: string,
  min: number,
  field = name,
): number | undefined {
  const value = props[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw invalidProp(field, `must be an integer >= ${min}`);
  }
  return value;
}

export function requiredInteger(props: Props, name: string, min: number, field = name): number {
  const value = optionalInteger(props, name, min, field);
  if (value === undefined) throw invalidProp(field, 'is required');
  return value;
}

export function oneOf<T extends string>(
  props: Props,
  name: string,
  allowed: readonly T[],
  fallback?: T,
  field = name,
): T {
  const value = props[name] ?? fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidProp(field, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}
