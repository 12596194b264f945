import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { JobDetails } from '@ruleshift/contracts';
import { metricsHistory } from '../api/metrics-history';
import { useJob, useJobConfig, useRuntimes, useTemplates } from '../api/queries';
import { formatAgo, formatCount, formatTime } from '../shared/format';
import { LineChart } from '../shared/line-chart';
import { ErrorState, Loading } from '../shared/states';
import { StatusBadge } from '../shared/status-badge';
import { ConfirmOperation } from './confirm-operation';
import { MoveDialog } from './move-dialog';
import { OperationBar } from './operation-bar';
import { PlacementCard } from './placement-card';
import { jobInfoOf, useOperation, type OperationKind } from './use-operation';

/** One rule: what it is, how it runs now and over the last minutes, and what can be done. */
export function RulePage() {
  const { jobId = '' } = useParams();
  const job = useJob(jobId);
  if (job.isPending) return <Loading what={`rule ${jobId}`} />;
  if (!job.data) return <ErrorState what={`rule ${jobId}`} error={job.error} />;
  return <RuleView job={job.data} refreshError={job.isError ? job.error : null} />;
}

function RuleView({ job, refreshError }: { job: JobDetails; refreshError: unknown }) {
  const templates = useTemplates();
  const runtimes = useRuntimes();
  const config = useJobConfig(job.jobId, `${job.jobStatus}-${job.runtime}-${job.targetResource}`);
  const operation = useOperation(job);
  const [asking, setAsking] = useState<OperationKind | null>(null);
  const [keepInputQueue, setKeepInputQueue] = useState(false);
  const template = templates.data?.find((t) => t.jobType === job.jobType);
  const busy =
    operation.state?.phase === 'running' ||
    operation.state?.phase === 'settling' ||
    Boolean(job.pendingOperation);
  const status = job.jobStatus;
  const can: Record<OperationKind, boolean> = {
    start: status === 'INSTALLED' || status === 'STOPPED' || status === 'FAILED',
    stop: status === 'RUNNING',
    move: status !== 'UNINSTALLED',
    uninstall: status !== 'UNINSTALLED',
  };
  const series = metricsHistory.seriesOf(job.jobId);
  const confirmSimple = (kind: 'start' | 'stop' | 'uninstall') => {
    setAsking(null);
    const label = `${kind[0].toUpperCase()}${kind.slice(1)}`;
    const body = kind === 'uninstall' ? { ...jobInfoOf(job), keepInputQueue } : jobInfoOf(job);
    void operation.run(kind, label, body);
  };

  return (
    <section>
      <header className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to="/rules">Rules</Link> /
          </p>
          <h1>
            {job.jobType} <span className="mono muted">{job.jobId}</span>
          </h1>
          <p>
            <StatusBadge status={job.jobStatus} /> on{' '}
            <strong>
              {job.runtime}/{job.targetResource}
            </strong>
            , last change {formatAgo(job.updatedAt)}
            {job.failureReason && <span className="field-error"> — {job.failureReason}</span>}
          </p>
        </div>
        <div className="actions" role="group" aria-label="Operations">
          {(['start', 'stop', 'move', 'uninstall'] as const).map((kind) => (
            <button
              key={kind}
              type="button"
              className={kind === 'uninstall' ? 'danger' : undefined}
              disabled={!can[kind] || busy}
              onClick={() => setAsking(kind)}
            >
              {kind[0].toUpperCase() + kind.slice(1)}
            </button>
          ))}
        </div>
      </header>

      <OperationBar job={job} state={operation.state} onDismiss={operation.dismiss} />
      {refreshError !== null && <ErrorState what="fresh figures" error={refreshError} />}

      <div className="grid-2">
        <LineChart
          title="Throughput"
          unit="events/s"
          series={[
            {
              label: 'in',
              color: 'var(--chart-in)',
              points: series.map((p) => ({ at: p.at, value: p.inPerSecond })),
            },
            {
              label: 'out',
              color: 'var(--chart-out)',
              points: series.map((p) => ({ at: p.at, value: p.outPerSecond })),
            },
          ]}
        />
        <LineChart
          title="Dead letters"
          unit="letters/s"
          series={[
            {
              label: 'dead-lettered',
              color: 'var(--chart-dead)',
              points: series.map((p) => ({ at: p.at, value: p.deadLettersPerSecond })),
            },
          ]}
        />
      </div>

      <div className="grid-2">
        <div className="card">
          <h2>Counters</h2>
          <dl className="facts">
            <dt>Events in</dt>
            <dd data-testid="events-in">{formatCount(job.metrics?.eventsIn)}</dd>
            <dt>Events out</dt>
            <dd data-testid="events-out">{formatCount(job.metrics?.eventsOut)}</dd>
            {job.metrics?.stateKeys !== undefined && (
              <>
                <dt>State keys</dt>
                <dd>{formatCount(job.metrics.stateKeys)}</dd>
              </>
            )}
            {job.metrics?.late !== undefined && (
              <>
                <dt>Late events</dt>
                <dd>{formatCount(job.metrics.late)}</dd>
              </>
            )}
          </dl>
          <h3>Dead letters by reason</h3>
          {Object.keys(job.metrics?.deadLettered ?? {}).length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <dl className="facts" data-testid="dead-letters-by-reason">
              {Object.entries(job.metrics?.deadLettered ?? {}).map(([reason, n]) => (
                <div key={reason} className="fact-row">
                  <dt>{reason}</dt>
                  <dd>{formatCount(n)}</dd>
                </div>
              ))}
            </dl>
          )}
          {job.deadLetterQueue && (
            <p className="muted">
              Queue keeps the newest {formatCount(job.deadLetterQueue.maxLength)};{' '}
              {formatCount(job.deadLetterQueue.dropped)} dropped.
            </p>
          )}
          <p>
            <Link to={`/deadletters?job=${job.jobId}`}>Dead letters of this rule</Link>
          </p>
        </div>
        <div className="card">
          <h2>Configuration</h2>
          <dl className="facts">
            <dt>Template</dt>
            <dd>
              {job.jobType} {job.templateVersion}
            </dd>
            <dt>Input</dt>
            <dd className="mono">
              {job.connectors.inputEndpoint}: {job.connectors.inputExchange} /{' '}
              {job.connectors.inputRoutingKey} → queue {job.connectors.inputQueue}
            </dd>
            {job.connectors.secondInput && (
              <>
                <dt>Second input</dt>
                <dd className="mono">
                  {job.connectors.secondInput.endpoint}: {job.connectors.secondInput.exchange} /{' '}
                  {job.connectors.secondInput.routingKey} → queue {job.connectors.secondInput.queue}
                </dd>
              </>
            )}
            <dt>Output</dt>
            <dd className="mono">
              {job.connectors.outputEndpoint}: {job.connectors.outputExchange} /{' '}
              {job.connectors.outputRoutingKey}
            </dd>
            <dt>Installed</dt>
            <dd>{formatTime(job.createdAt)}</dd>
          </dl>
          <h3>jobProps</h3>
          <pre className="code">{JSON.stringify(job.jobProps, null, 2)}</pre>
        </div>
      </div>

      <PlacementCard job={job} />

      <div className="card">
        <h2>Status history</h2>
        <div className="table-scroll">
          <table className="table" aria-label="Status history">
            <thead>
              <tr>
                <th>When</th>
                <th>Status</th>
                <th>Placement</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {[...job.history].reverse().map((change, index) => (
                <tr key={`${change.at}-${index}`}>
                  <td>{formatTime(change.at)}</td>
                  <td>
                    <StatusBadge status={change.status} />
                  </td>
                  <td>
                    {change.runtime}/{change.targetResource}
                  </td>
                  <td className="wrap">{change.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      <div className="card">
        <h2>Rendered config {config.data && <code>{config.data.configFileName}</code>}</h2>
        {config.isPending ? (
          <Loading what="the rendered config" />
        ) : config.isError ? (
          <ErrorState what="the rendered config" error={config.error} />
        ) : (
          <pre className="code">{prettyJson(config.data.content)}</pre>
        )}
      </div>

      {asking === 'move' && (
        <MoveDialog
          job={job}
          template={template}
          runtimes={runtimes.data ?? []}
          onCancel={() => setAsking(null)}
          onConfirm={(target) => {
            setAsking(null);
            void operation.run('move', `Move to ${target.runtime}/${target.targetResource}`, {
              target_runtime: target.runtime,
              targetResource: target.targetResource,
              jobInfo: jobInfoOf(job),
              ...(target.dropState ? { dropState: true } : {}),
            });
          }}
        />
      )}
      {(asking === 'start' || asking === 'stop' || asking === 'uninstall') && (
        <ConfirmOperation
          kind={asking}
          job={job}
          keepInputQueue={keepInputQueue}
          setKeepInputQueue={setKeepInputQueue}
          onCancel={() => setAsking(null)}
          onConfirm={() => confirmSimple(asking)}
        />
      )}
    </section>
  );
}

/** The rendered config as the API returns it: a JSON document (or text), shown indented. */
function prettyJson(content: unknown): string {
  if (typeof content !== 'string') return JSON.stringify(content, null, 2);
  try {
    return JSON.stringify(JSON.parse(content), null, 2);
  } catch {
    return content;
  }
}
