import { formatDetail } from '../shared/format';
import { Field } from './field';
import { fromText, getIn, type Json } from './json-path';

/** The paper's connectors, plus the additive second input of two-input templates. */
const MAIN: Array<{ key: string; label: string; help?: string }> = [
  {
    key: 'inputEndpoint',
    label: 'inputEndpoint',
    help: 'broker name (edge, core, …) or amqp:// URL',
  },
  { key: 'inputExchange', label: 'inputExchange' },
  { key: 'inputRoutingKey', label: 'inputRoutingKey' },
  { key: 'inputQueue', label: 'inputQueue', help: 'durable; moves keep it' },
  { key: 'outputEndpoint', label: 'outputEndpoint' },
  { key: 'outputExchange', label: 'outputExchange' },
  { key: 'outputRoutingKey', label: 'outputRoutingKey' },
];
const SECOND = ['endpoint', 'exchange', 'routingKey', 'queue'];
export const CONNECTOR_PATHS = [
  ...MAIN.map((f) => `jobConfig.connectors.${f.key}`),
  'jobConfig.connectors.exchangeType',
  'jobConfig.connectors.prefetch',
  ...SECOND.map((key) => `jobConfig.connectors.secondInput.${key}`),
];

export function ConnectorFields({
  value,
  inputs,
  errorFor,
  onChange,
}: {
  value: unknown;
  inputs: number;
  errorFor(path: string): string | undefined;
  onChange(path: string[], value: Json | undefined): void;
}) {
  const base = ['jobConfig', 'connectors'];
  const text = (key: string[], label: string, help?: string, numeric = false) => {
    const path = [...base, ...key];
    const current = getIn(value, path);
    return (
      <Field
        key={path.join('.')}
        path={path.join('.')}
        label={label}
        help={help}
        error={errorFor(path.join('.'))}
        required={!numeric}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            value={current === undefined ? '' : formatDetail(current)}
            onChange={(event) => onChange(path, fromText(event.target.value, numeric))}
          />
        )}
      </Field>
    );
  };
  const exchangeTypePath = [...base, 'exchangeType'];
  const exchangeType = getIn(value, exchangeTypePath);
  return (
    <>
      <div className="form-grid">{MAIN.map((f) => text([f.key], f.label, f.help))}</div>
      <div className="form-grid">
        <Field
          path={exchangeTypePath.join('.')}
          label="exchangeType"
          help="optional, default direct"
          error={errorFor(exchangeTypePath.join('.'))}
        >
          {(control) => (
            <select
              {...control}
              value={typeof exchangeType === 'string' ? exchangeType : ''}
              onChange={(event) => onChange(exchangeTypePath, event.target.value || undefined)}
            >
              <option value="">(leave out)</option>
              {['direct', 'topic', 'fanout', 'headers'].map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        {text(['prefetch'], 'prefetch', 'optional, messages in flight (default 256)', true)}
      </div>
      {inputs === 2 && (
        <fieldset className="nested">
          <legend>secondInput</legend>
          <div className="form-grid">{SECOND.map((key) => text(['secondInput', key], key))}</div>
        </fieldset>
      )}
    </>
  );
}
