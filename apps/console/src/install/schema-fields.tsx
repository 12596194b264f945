import { formatDetail } from '../shared/format';
import { Field } from './field';
import { fromText, getIn, type Json } from './json-path';

/** The part of JSON Schema the templates' jobPropsSchema use (see docs/decisions.md). */
export interface PropertySchema {
  type?: string | string[];
  enum?: Json[];
  properties?: Record<string, PropertySchema>;
  required?: string[];
  description?: string;
  default?: Json;
  minimum?: number;
  maximum?: number;
  format?: string;
}

interface Props {
  schema: PropertySchema;
  value: unknown;
  path: string[];
  errorFor(path: string): string | undefined;
  onChange(path: string[], value: Json | undefined): void;
}

/** Every field of an object schema, nested objects as fieldsets. */
export function SchemaFields({ schema, value, path, errorFor, onChange }: Props) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, property]) => (
        <SchemaField
          key={name}
          name={name}
          schema={property}
          required={schema.required?.includes(name) ?? false}
          value={getIn(value, [name])}
          path={[...path, name]}
          errorFor={errorFor}
          onChange={onChange}
        />
      ))}
    </>
  );
}

/** Every dotted path a schema can name, so errors outside them are shown above the form. */
export function schemaPaths(schema: PropertySchema, path: string[]): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
    [...path, name].join('.'),
    ...schemaPaths(property, [...path, name]),
  ]);
}

const typesOf = (schema: PropertySchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

function helpFor(schema: PropertySchema): string | undefined {
  const types = typesOf(schema);
  const parts = [
    schema.description,
    types.length > 1 ? types.join(' or ') : undefined,
    schema.format,
    schema.minimum !== undefined || schema.maximum !== undefined
      ? `${schema.minimum ?? '…'} to ${schema.maximum ?? '…'}`
      : undefined,
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : undefined,
  ].filter((part): part is string => Boolean(part));
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function SchemaField({
  name,
  schema,
  required,
  value,
  path,
  errorFor,
  onChange,
}: Omit<Props, 'schema'> & { name: string; schema: PropertySchema; required: boolean }) {
  const dotted = path.join('.');
  const types = typesOf(schema);
  const error = errorFor(dotted);

  if (schema.properties) {
    return (
      <fieldset className="nested" data-field={dotted}>
        <legend>
          {name}
          {required && <span aria-hidden="true"> *</span>}
        </legend>
        {error && <p className="field-error">{error}</p>}
        <SchemaFields
          schema={schema}
          value={value}
          path={path}
          errorFor={errorFor}
          onChange={onChange}
        />
      </fieldset>
    );
  }

  const options = schema.enum ?? (types.includes('boolean') ? [true, false] : undefined);
  if (options) {
    const current = options.findIndex((option) => option === value);
    return (
      <Field path={dotted} label={name} help={helpFor(schema)} error={error} required={required}>
        {(control) => (
          <select
            {...control}
            value={current < 0 ? '' : String(current)}
            onChange={(event) =>
              onChange(
                path,
                event.target.value === '' ? undefined : options[Number(event.target.value)],
              )
            }
          >
            <option value="">{required ? '(choose)' : '(leave out)'}</option>
            {options.map((option, index) => (
              <option key={formatDetail(option)} value={String(index)}>
                {formatDetail(option)}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  }

  const numeric = types.includes('number') || types.includes('integer');
  return (
    <Field path={dotted} label={name} help={helpFor(schema)} error={error} required={required}>
      {(control) => (
        <input
          {...control}
          type="text"
          inputMode={numeric && !types.includes('string') ? 'decimal' : undefined}
          placeholder={schema.default !== undefined ? formatDetail(schema.default) : undefined}
          value={
            value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
          }
          onChange={(event) => onChange(path, fromText(event.target.value, numeric))}
        />
      )}
    </Field>
  );
}
