import type { BrokerRegistry } from '@ruleshift/broker';
import type { RuntimeEntity } from '../../registry/entities/runtime.entity';
import type { RuntimeRepository } from '../../registry/runtime.repository';
import { RuntimeFigures, type AgentFigures } from '../../runtimes/runtime-figures';
import { ManualClock } from '../../shared/clock';
import { LivePlacementSignalSource } from './live-placement-signal-source';

const agentRow = (targetResource: string): RuntimeEntity =>
  ({ kind: 'edge', targetResource, health: 'UP', details: {} }) as unknown as RuntimeEntity;
const load = (sharesProcess: boolean): AgentFigures => ({
  cpuPercent: 40,
  rssBytes: 300_000_000,
  heapUsedBytes: 1,
  sentAt: '2026-01-01T00:00:00.000Z',
  rules: [],
  ...(sharesProcess ? { sharesProcess: true } : {}),
});

describe('LivePlacementSignalSource', () => {
  it("weighs an agent's own CPU and memory, not those of a process it shares (npm start)", async () => {
    const figures = new RuntimeFigures();
    figures.recordAgent('gw1', load(false));
    figures.recordAgent('local', load(true));
    const rows = { list: () => Promise.resolve([agentRow('gw1'), agentRow('local')]) };
    const source = new LivePlacementSignalSource(
      rows as unknown as RuntimeRepository,
      figures,
      {} as BrokerRegistry,
      new ManualClock(),
    );
    const readings = await source.runtimes();
    expect(readings.get('edge/gw1')).toEqual({
      health: 'UP',
      cpuPercent: 40,
      memoryBytes: 300_000_000,
    });
    expect(readings.get('edge/local')).toEqual({ health: 'UP' });
  });
});
