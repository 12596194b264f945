import { DEAD_LETTER_EXCHANGE, configFileNameFor, type RuleConfig } from '@ruleshift/contracts';
import type { JobEntity } from '../entities/job.entity';

export const connectorsFixture = {
  inputEndpoint: 'edge',
  inputExchange: 'sensors',
  inputQueue: 'filter-in',
  inputRoutingKey: 'temperature',
  outputEndpoint: 'core',
  outputExchange: 'alerts',
  outputRoutingKey: 'hot',
};

export function ruleConfigFixture(jobId: string, jobType = 'filter'): RuleConfig {
  return {
    jobId,
    jobType,
    templateVersion: '1.0.0',
    connectors: connectorsFixture,
    jobProps: { condition: '>', threshold: 30, fieldName: 'temp', fieldJsonPath: '$.temp' },
    deadLetterExchange: DEAD_LETTER_EXCHANGE,
  };
}

export function jobFixture(id: string, overrides: Partial<JobEntity> = {}): JobEntity {
  const jobType = overrides.jobType ?? 'filter';
  return {
    id,
    jobType,
    templateVersion: '1.0.0',
    runtime: 'edge',
    targetResource: 'gw-1',
    status: 'INSTALLED',
    config: ruleConfigFixture(id, jobType),
    configFileName: configFileNameFor(id),
    failureReason: null,
    operation: null,
    operationOwner: null,
    snapshot: null,
    version: 0,
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    updatedAt: new Date('2026-01-01T00:00:00.000Z'),
    ...overrides,
  };
}
