import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useDeadLetters, useJobs } from '../api/queries';
import { formatCount } from '../shared/format';
import { EmptyState, ErrorState, Loading } from '../shared/states';
import { DeadLetterActions } from './dead-letter-actions';
import { DeadLetterMessages } from './dead-letter-messages';

/** Per rule: dead letters by reason, the most recent ones, replay to the rule's input, purge. */
export function DeadLettersPage() {
  const [params, setParams] = useSearchParams();
  const jobs = useJobs();
  const [limit, setLimit] = useState(20);
  const candidates = (jobs.data ?? [])
    .filter((job) => job.jobStatus !== 'UNINSTALLED')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const jobId = params.get('job') ?? candidates[0]?.jobId;
  const deadLetters = useDeadLetters(jobId, limit);

  return (
    <section>
      <header className="page-header">
        <h1>Dead letters</h1>
      </header>
      {jobs.isPending ? (
        <Loading what="rules" />
      ) : !jobs.data ? (
        <ErrorState what="rules" error={jobs.error} />
      ) : candidates.length === 0 && !params.get('job') ? (
        <EmptyState>
          No rule is installed, so there are no dead letters.{' '}
          <Link to="/install">Install a rule</Link>
        </EmptyState>
      ) : (
        <>
          <div className="toolbar">
            <label className="field inline">
              <span>Rule</span>
              <select
                value={jobId ?? ''}
                onChange={(event) => setParams({ job: event.target.value })}
              >
                {candidates.map((job) => (
                  <option key={job.jobId} value={job.jobId}>
                    {job.jobId.slice(0, 8)} {job.jobType} on {job.runtime}/{job.targetResource} (
                    {job.jobStatus})
                  </option>
                ))}
                {jobId && !candidates.some((job) => job.jobId === jobId) && (
                  <option value={jobId}>{jobId}</option>
                )}
              </select>
            </label>
            <label className="field inline">
              <span>Show</span>
              <select value={limit} onChange={(event) => setLimit(Number(event.target.value))}>
                {[20, 50, 100].map((n) => (
                  <option key={n} value={n}>
                    {n} most recent
                  </option>
                ))}
              </select>
            </label>
            {jobId && <Link to={`/rules/${jobId}`}>Open the rule</Link>}
          </div>
          {deadLetters.isPending ? (
            <Loading what="dead letters" />
          ) : !deadLetters.data ? (
            <ErrorState what="dead letters" error={deadLetters.error} />
          ) : (
            <>
              <div className="grid-2">
                <div className="card">
                  <h2>By reason</h2>
                  {Object.keys(deadLetters.data.byReason).length === 0 ? (
                    <p className="muted">No dead letters waiting.</p>
                  ) : (
                    <dl className="facts" data-testid="dead-letter-reasons">
                      {Object.entries(deadLetters.data.byReason).map(([reason, n]) => (
                        <div key={reason} className="fact-row">
                          <dt>{reason}</dt>
                          <dd>{formatCount(n)}</dd>
                        </div>
                      ))}
                    </dl>
                  )}
                  <p className="muted">
                    <span data-testid="dead-letter-total">
                      {formatCount(deadLetters.data.total)}
                    </span>{' '}
                    waiting; {formatCount(deadLetters.data.overflowed)} dropped past the
                    queue&apos;s bound.
                  </p>
                </div>
                <DeadLetterActions jobId={deadLetters.data.jobId} total={deadLetters.data.total} />
              </div>
              <DeadLetterMessages messages={deadLetters.data.messages} />
            </>
          )}
        </>
      )}
    </section>
  );
}
