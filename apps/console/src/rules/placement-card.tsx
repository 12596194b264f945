import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { JobDetails, PlacementDecision, PlacementSignals } from '@ruleshift/contracts';
import { describeError } from '../api/api-error';
import { useApi } from '../auth/session';
import { formatCount, formatTime } from '../shared/format';

/**
 * A rule's placement policy (who moves it, between which candidates, with which thresholds),
 * its latest decisions and close non-decisions, and a form to replace the policy
 * (PUT /api/jobs/{jobId}/placement, operator).
 */
export function PlacementCard({ job }: { job: JobDetails }) {
  const policy = job.placement ?? { mode: 'manual' as const };
  const decisions = job.placementDecisions ?? [];
  const [editing, setEditing] = useState(false);
  return (
    <div className="card" data-testid="placement">
      <h2>Placement</h2>
      <dl className="facts">
        <dt>Policy</dt>
        <dd data-testid="placement-mode">
          {policy.mode === 'auto'
            ? `auto${policy.dryRun ? ' (dry run: decides, never moves)' : ''}`
            : 'manual (only operators move it)'}
        </dd>
        {policy.mode === 'auto' && (
          <>
            <dt>Candidates</dt>
            <dd className="mono" data-testid="placement-candidates">
              {(policy.candidates ?? []).join(', ')}
            </dd>
            <dt>Preferred</dt>
            <dd className="mono">{policy.prefer ?? policy.candidates?.[0]}</dd>
            <dt>Thresholds</dt>
            <dd className="mono wrap">
              {Object.keys(policy.thresholds ?? {}).length === 0
                ? 'the defaults'
                : `${Object.entries(policy.thresholds ?? {})
                    .map(([name, value]) => `${name} ${String(value)}`)
                    .join(', ')}; others default`}
            </dd>
            {policy.dropState && (
              <>
                <dt>Window state</dt>
                <dd>dropped on a move between engines</dd>
              </>
            )}
          </>
        )}
        {job.placementPausedUntil && (
          <>
            <dt>Paused until</dt>
            <dd>{formatTime(job.placementPausedUntil)} (an operator moved the rule)</dd>
          </>
        )}
      </dl>
      {editing ? (
        <PolicyForm job={job} onDone={() => setEditing(false)} />
      ) : (
        <button type="button" onClick={() => setEditing(true)}>
          Edit policy
        </button>
      )}
      <h3>Latest decisions</h3>
      {decisions.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Placement decisions">
            <thead>
              <tr>
                <th>When</th>
                <th>Decision</th>
                <th>From → to</th>
                <th>Outcome</th>
                <th>Reason</th>
                <th>Signals</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((d) => (
                <tr key={d.id}>
                  <td>{formatTime(d.at)}</td>
                  <td>{decisionLabel(d)}</td>
                  <td className="mono">
                    {d.from}
                    {d.to ? ` → ${d.to}` : ''}
                  </td>
                  <td>{d.outcome ?? (d.action === 'move' && d.dryRun ? 'not moved' : '')}</td>
                  <td className="wrap">{d.reason}</td>
                  <td className="wrap mono">{signalsLine(d.signals)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PolicyForm({ job, onDone }: { job: JobDetails; onDone(): void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [text, setText] = useState(() =>
    JSON.stringify(job.placement ?? { mode: 'manual' }, null, 2),
  );
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    let policy: unknown;
    try {
      policy = JSON.parse(text);
    } catch {
      setError('not JSON');
      return;
    }
    setSaving(true);
    try {
      await api.put(`/api/jobs/${encodeURIComponent(job.jobId)}/placement`, policy);
      await queryClient.invalidateQueries({ queryKey: ['job', job.jobId] });
      onDone();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(event) => void save(event)}>
      <label htmlFor="placement-policy">
        Placement policy (JSON: <code>{'{"mode": "manual"}'}</code> or{' '}
        <code>{'{"mode": "auto", "candidates": [...], "prefer": ..., "thresholds": {...}}'}</code>)
      </label>
      <textarea
        id="placement-policy"
        className="code"
        rows={8}
        value={text}
        onChange={(event) => setText(event.target.value)}
        aria-describedby={error ? 'placement-policy-error' : undefined}
      />
      {error && (
        <p id="placement-policy-error" className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={saving}>
          Save policy
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const decisionLabel = (d: PlacementDecision): string =>
  d.action === 'move' ? `move (${d.kind})${d.dryRun ? ', dry run' : ''}` : 'stay (came close)';

/** The signals worth reading at a glance, in the policy's units. */
function signalsLine(s: PlacementSignals): string {
  const parts: string[] = [];
  if (s.health !== undefined) parts.push(s.health);
  if (s.backlog !== undefined) parts.push(`backlog ${formatCount(s.backlog)}`);
  if (s.backlogGrowthPerS !== undefined) parts.push(`growth ${Math.round(s.backlogGrowthPerS)}/s`);
  if (s.eventsInPerS !== undefined) parts.push(`in ${Math.round(s.eventsInPerS)}/s`);
  if (s.cpuPercent !== undefined) parts.push(`cpu ${Math.round(s.cpuPercent)}%`);
  if (s.backpressure !== undefined) parts.push(`backpressure ${s.backpressure.toFixed(2)}`);
  if (s.freeSlots !== undefined) parts.push(`free slots ${s.freeSlots}`);
  if (s.lagMs !== undefined) parts.push(`lag ${Math.round(s.lagMs)} ms`);
  return parts.join(', ');
}
