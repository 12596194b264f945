import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { JobInfo, RuntimeInfo, TemplateInfo } from '@ruleshift/contracts';
import { ApiError, describeError } from '../api/api-error';
import { useRuntimes, useTemplates } from '../api/queries';
import { useApi } from '../auth/session';
import { formatDetail } from '../shared/format';
import { ErrorState, Loading } from '../shared/states';
import { CONNECTOR_PATHS, ConnectorFields } from './connector-fields';
import { Field } from './field';
import { getIn, isObject, setIn, type Json, type JsonObject } from './json-path';
import { SchemaFields, schemaPaths, type PropertySchema } from './schema-fields';

const HEADER_PATHS = ['headers.jobType', 'headers.runtime', 'headers.targetResource'];

const initialInstallation = (): JsonObject => ({
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
  jobConfig: { connectors: { inputEndpoint: 'edge', outputEndpoint: 'edge' } },
  jobProps: {},
});

/** Install: placement, connectors and a form generated from the template's jobPropsSchema. */
export function InstallPage() {
  const templates = useTemplates();
  const runtimes = useRuntimes();
  if (templates.isPending) return <Loading what="templates" />;
  if (!templates.data) return <ErrorState what="templates" error={templates.error} />;
  return <InstallForm templates={templates.data} runtimes={runtimes.data ?? []} />;
}

function InstallForm({
  templates,
  runtimes,
}: {
  templates: TemplateInfo[];
  runtimes: RuntimeInfo[];
}) {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<JsonObject>(initialInstallation);
  const [text, setText] = useState(() => JSON.stringify(draft, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [sending, setSending] = useState(false);

  const jobType = getIn(draft, ['headers', 'jobType']);
  const runtimeKind = getIn(draft, ['headers', 'runtime']);
  const template = templates.find((t) => t.jobType === jobType);
  const schema = (template?.jobPropsSchema ?? {}) as PropertySchema;
  const apiError = failure instanceof ApiError ? failure : null;
  const errorFor = (path: string) => apiError?.reasonFor(path);
  const shownPaths = new Set([
    ...HEADER_PATHS,
    ...CONNECTOR_PATHS,
    ...schemaPaths(schema, ['jobProps']),
  ]);
  const unshown = apiError?.errors.filter((e) => !shownPaths.has(e.field)) ?? [];

  const replace = (next: JsonObject) => {
    setDraft(next);
    setText(JSON.stringify(next, null, 2));
    setJsonError(null);
  };
  const change = (path: string[], value: Json | undefined) => replace(setIn(draft, path, value));
  const editJson = (next: string) => {
    setText(next);
    try {
      const parsed: unknown = JSON.parse(next);
      if (!isObject(parsed)) throw new Error('the installation object must be a JSON object');
      setDraft(parsed);
      setJsonError(null);
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (jsonError) return;
    setSending(true);
    setFailure(null);
    try {
      const job = await api.post<JobInfo>('/api/install', draft);
      void queryClient.invalidateQueries({ queryKey: ['jobs'] });
      await navigate(`/rules/${job.jobId}`);
    } catch (error) {
      setFailure(error);
    } finally {
      setSending(false);
    }
  };

  const targets = runtimes.filter((r) => r.runtime === runtimeKind);
  return (
    <section>
      <header className="page-header">
        <h1>Install a rule</h1>
      </header>
      {failure !== null && (
        <div className="banner banner-error" role="alert">
          <strong>The API refused the rule.</strong>{' '}
          {apiError ? apiError.message : describeError(failure)}
          {unshown.length > 0 && (
            <ul>
              {unshown.map((e) => (
                <li key={e.field}>
                  <code>{e.field}</code> {e.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form className="install" onSubmit={(event) => void submit(event)} noValidate>
        <div className="install-form">
          <fieldset className="card">
            <legend>Template and placement</legend>
            <div className="form-grid">
              <Field
                path="headers.jobType"
                label="Template (jobType)"
                error={errorFor('headers.jobType')}
                required
              >
                {(control) => (
                  <select
                    {...control}
                    value={typeof jobType === 'string' ? jobType : ''}
                    onChange={(event) => {
                      const next = templates.find((t) => t.jobType === event.target.value);
                      let updated = setIn(draft, ['headers', 'jobType'], event.target.value);
                      updated = setIn(updated, ['jobProps'], {});
                      if (next && !next.runtimes.includes(runtimeKind as 'edge')) {
                        updated = setIn(updated, ['headers', 'runtime'], next.runtimes[0]);
                      }
                      replace(updated);
                    }}
                  >
                    {templates.map((t) => (
                      <option key={t.jobType} value={t.jobType}>
                        {t.jobType} {t.version}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                path="headers.runtime"
                label="Runtime"
                error={errorFor('headers.runtime')}
                required
              >
                {(control) => (
                  <select
                    {...control}
                    value={typeof runtimeKind === 'string' ? runtimeKind : ''}
                    onChange={(event) => {
                      const kind = event.target.value;
                      const first = runtimes.find((r) => r.runtime === kind);
                      let updated = setIn(draft, ['headers', 'runtime'], kind);
                      updated = setIn(
                        updated,
                        ['headers', 'targetResource'],
                        first?.targetResource,
                      );
                      replace(updated);
                    }}
                  >
                    {(template?.runtimes ?? ['edge', 'flink']).map((kind) => (
                      <option key={kind}>{kind}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field
                path="headers.targetResource"
                label="Target (agent or cluster)"
                error={errorFor('headers.targetResource')}
                required
              >
                {(control) => (
                  <select
                    {...control}
                    value={formatDetail(getIn(draft, ['headers', 'targetResource'])).replace(
                      /^–$/,
                      '',
                    )}
                    onChange={(event) =>
                      change(['headers', 'targetResource'], event.target.value || undefined)
                    }
                  >
                    <option value="">(choose)</option>
                    {targets.map((r) => (
                      <option key={r.targetResource} value={r.targetResource}>
                        {r.targetResource} ({r.health})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            {template && <p className="muted">{template.description}</p>}
          </fieldset>
          <fieldset className="card">
            <legend>Connectors</legend>
            <ConnectorFields
              value={draft}
              inputs={template?.inputs ?? 1}
              errorFor={errorFor}
              onChange={change}
            />
          </fieldset>
          <fieldset className="card">
            <legend>jobProps ({template?.jobType ?? 'no template'})</legend>
            {errorFor('jobProps') && <p className="field-error">{errorFor('jobProps')}</p>}
            <div className="form-grid">
              <SchemaFields
                schema={schema}
                value={getIn(draft, ['jobProps'])}
                path={['jobProps']}
                errorFor={errorFor}
                onChange={change}
              />
            </div>
          </fieldset>
        </div>
        <div className="install-json card">
          <label htmlFor="installation-json">
            <strong>JSON sent to POST /api/install</strong> (editable)
          </label>
          <textarea
            id="installation-json"
            spellCheck={false}
            value={text}
            onChange={(event) => editJson(event.target.value)}
            aria-invalid={jsonError ? true : undefined}
            aria-describedby={jsonError ? 'installation-json-error' : undefined}
          />
          {jsonError && (
            <span className="field-error" id="installation-json-error">
              Not valid JSON: {jsonError}
            </span>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={sending || jsonError !== null}>
              {sending ? 'Installing…' : 'Install'}
            </button>
            <button type="button" onClick={() => replace(initialInstallation())}>
              Reset
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
