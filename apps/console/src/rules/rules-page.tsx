import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { JobDetails } from '@ruleshift/contracts';
import { deadLetterTotal, metricsHistory } from '../api/metrics-history';
import { useJobs } from '../api/queries';
import { formatAgo, formatCount, formatRate } from '../shared/format';
import { EmptyState, ErrorState, Loading } from '../shared/states';
import { StatusBadge } from '../shared/status-badge';

const STATUS_FILTERS = [
  'active',
  'all',
  'RUNNING',
  'INSTALLED',
  'STOPPED',
  'FAILED',
  'UNINSTALLED',
];

function matches(job: JobDetails, text: string, status: string): boolean {
  if (status === 'active' && job.jobStatus === 'UNINSTALLED') return false;
  if (status !== 'active' && status !== 'all' && job.jobStatus !== status) return false;
  if (!text) return true;
  const haystack = [job.jobId, job.jobType, job.runtime, job.targetResource, job.jobStatus]
    .join(' ')
    .toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

/** Every rule, newest first, with live rates; filter by text and status. */
export function RulesPage() {
  const jobs = useJobs();
  const [text, setText] = useState('');
  const [status, setStatus] = useState('active');
  const shown = useMemo(
    () =>
      (jobs.data ?? [])
        .filter((job) => matches(job, text.trim(), status))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [jobs.data, text, status],
  );

  return (
    <section>
      <header className="page-header">
        <h1>Rules</h1>
        <Link className="button primary" to="/install">
          Install a rule
        </Link>
      </header>
      <div className="toolbar" role="search">
        <label className="field inline">
          <span>Filter</span>
          <input
            type="search"
            placeholder="job id, type, runtime, gateway…"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <label className="field inline">
          <span>Status</span>
          <select value={status} onChange={(event) => setStatus(event.target.value)}>
            {STATUS_FILTERS.map((s) => (
              <option key={s} value={s}>
                {s === 'active' ? 'all but uninstalled' : s === 'all' ? 'all' : s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {jobs.isPending ? (
        <Loading what="rules" />
      ) : jobs.isError && !jobs.data ? (
        <ErrorState what="rules" error={jobs.error} />
      ) : shown.length === 0 ? (
        <EmptyState>
          {(jobs.data ?? []).length === 0 ? (
            <>
              No rules yet. <Link to="/install">Install one</Link> from a template.
            </>
          ) : (
            'No rule matches this filter.'
          )}
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Rules">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Type</th>
                <th>Placement</th>
                <th>Status</th>
                <th className="num">In/s</th>
                <th className="num">Out/s</th>
                <th className="num">Dead letters</th>
                <th>Last change</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((job) => {
                const rates = metricsHistory.ratesOf(job.jobId);
                return (
                  <tr key={job.jobId} data-job-id={job.jobId}>
                    <td>
                      <Link to={`/rules/${job.jobId}`} title={job.jobId} className="mono">
                        {job.jobId.slice(0, 8)}
                      </Link>
                    </td>
                    <td>{job.jobType}</td>
                    <td>
                      {job.runtime}/{job.targetResource}
                    </td>
                    <td>
                      <StatusBadge status={job.jobStatus} />
                      {job.pendingOperation && (
                        <span className="muted"> {job.pendingOperation}…</span>
                      )}
                    </td>
                    <td className="num">{formatRate(rates?.inPerSecond)}</td>
                    <td className="num">{formatRate(rates?.outPerSecond)}</td>
                    <td className="num">{formatCount(deadLetterTotal(job))}</td>
                    <td title={job.updatedAt}>{formatAgo(job.updatedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {jobs.isError && jobs.data && <ErrorState what="fresh figures" error={jobs.error} />}
    </section>
  );
}
