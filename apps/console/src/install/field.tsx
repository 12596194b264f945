import type { ReactNode } from 'react';

/**
 * A labelled control with its help text and the API's reason for the field it sends, linked
 * with aria-describedby so a screen reader reads the error with the field.
 */
export function Field({
  path,
  label,
  help,
  error,
  required = false,
  children,
}: {
  path: string;
  label: string;
  help?: string;
  error?: string;
  required?: boolean;
  children: (props: {
    id: string;
    'aria-required'?: true;
    'aria-invalid'?: true;
    'aria-describedby'?: string;
  }) => ReactNode;
}) {
  const id = `field-${path}`;
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean);
  return (
    <div className={`field${error ? ' has-error' : ''}`} data-field={path}>
      <span className="field-label">
        <label htmlFor={id}>{label}</label>
        {required && (
          <span className="required" aria-hidden="true">
            *
          </span>
        )}
      </span>
      {children({
        id,
        ...(required ? { 'aria-required': true as const } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(described.length ? { 'aria-describedby': described.join(' ') } : {}),
      })}
      {help && (
        <span className="help" id={`${id}-help`}>
          {help}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
