import type { PlacementDecision } from '@ruleshift/contracts';
import type { PlacementDecisionEntity } from './persistence/placement-decision.entity';

export const toPlacementDecision = (d: PlacementDecisionEntity): PlacementDecision => ({
  id: String(d.id),
  jobId: d.jobId,
  at: new Date(d.at).toISOString(),
  action: d.action,
  kind: d.kind,
  from: d.fromPlacement,
  ...(d.toPlacement ? { to: d.toPlacement } : {}),
  reason: d.reason,
  dryRun: d.dryRun,
  ...(d.outcome ? { outcome: d.outcome } : {}),
  signals: d.signals,
});
