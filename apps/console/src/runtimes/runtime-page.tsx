import { Link, useParams } from 'react-router';
import { metricsHistory } from '../api/metrics-history';
import { useJobs, useRuntimes } from '../api/queries';
import { formatAgo, formatDetail, formatRate, formatTime } from '../shared/format';
import { EmptyState, ErrorState, Loading } from '../shared/states';
import { StatusBadge } from '../shared/status-badge';
import { RuntimeLoad } from './runtime-load';
import { jobsOn } from './runtime-rates';

/** One gateway or cluster: its health and details, and the rules placed on it. */
export function RuntimePage() {
  const { kind = '', name = '' } = useParams();
  const runtimes = useRuntimes();
  const jobs = useJobs();
  if (runtimes.isPending) return <Loading what={`runtime ${name}`} />;
  if (!runtimes.data) return <ErrorState what={`runtime ${name}`} error={runtimes.error} />;
  const runtime = runtimes.data.find((r) => r.runtime === kind && r.targetResource === name);
  if (!runtime) {
    return (
      <EmptyState>
        No runtime {kind}/{name} is registered. <Link to="/runtimes">All runtimes</Link>
      </EmptyState>
    );
  }
  const placed = jobsOn(runtime, jobs.data ?? []);
  const details = runtime.details ?? {};
  const facts = Object.entries(details).filter(([key]) => key !== 'rules');
  return (
    <section>
      <header className="page-header">
        <div>
          <p className="breadcrumb">
            <Link to="/runtimes">Runtimes</Link> /
          </p>
          <h1>
            {runtime.targetResource}{' '}
            <span className="muted">
              {runtime.runtime === 'flink' ? 'Flink cluster' : 'edge agent'}
            </span>
          </h1>
          <p>
            <StatusBadge status={runtime.health} /> last heartbeat {formatAgo(runtime.lastSeenAt)} ·{' '}
            <RuntimeLoad runtime={runtime} />
          </p>
        </div>
      </header>
      <div className="card">
        <h2>Rules placed here</h2>
        {jobs.isPending ? (
          <Loading what="rules" />
        ) : placed.length === 0 ? (
          <EmptyState>No rule is placed on {runtime.targetResource}.</EmptyState>
        ) : (
          <table className="table" aria-label={`Rules on ${runtime.targetResource}`}>
            <thead>
              <tr>
                <th>Rule</th>
                <th>Type</th>
                <th>Status</th>
                <th className="num">In/s</th>
                <th className="num">Out/s</th>
              </tr>
            </thead>
            <tbody>
              {placed.map((job) => {
                const rates = metricsHistory.ratesOf(job.jobId);
                return (
                  <tr key={job.jobId}>
                    <td>
                      <Link to={`/rules/${job.jobId}`} className="mono" title={job.jobId}>
                        {job.jobId.slice(0, 8)}
                      </Link>
                    </td>
                    <td>{job.jobType}</td>
                    <td>
                      <StatusBadge status={job.jobStatus} />
                    </td>
                    <td className="num">{formatRate(rates?.inPerSecond)}</td>
                    <td className="num">{formatRate(rates?.outPerSecond)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <div className="card">
        <h2>Details</h2>
        <dl className="facts">
          {facts.map(([key, value]) => (
            <div key={key} className="fact-row">
              <dt>{key}</dt>
              <dd className="mono">
                {key.endsWith('At') && typeof value === 'string'
                  ? formatTime(value)
                  : formatDetail(value)}
              </dd>
            </div>
          ))}
        </dl>
      </div>
    </section>
  );
}
