import type { ArtifactRef, RuleConfig, RuntimeKind, TemplateManifest } from '@ruleshift/contracts';
import { DEAD_LETTER_EXCHANGE } from '@ruleshift/contracts';
import type { DriverJob } from '../../runtime-driver';
import type { FlinkTemplateSource } from '../flink-job-driver';

export const CLUSTER = 'flink-test';

export function flinkJob(jobId: string, overrides: Partial<DriverJob> = {}): DriverJob {
  return {
    jobId,
    jobType: 'filter',
    templateVersion: '1.0.0',
    runtime: 'flink',
    targetResource: CLUSTER,
    ...overrides,
  };
}

export function filterConfig(jobId: string): RuleConfig {
  return {
    jobId,
    jobType: 'filter',
    templateVersion: '1.0.0',
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: `q-${jobId}`,
      inputRoutingKey: 'temp',
      outputEndpoint: 'core',
      outputExchange: 'alerts',
      outputRoutingKey: 'hot',
    },
    jobProps: { condition: '>', threshold: 30, fieldName: 'temp' },
    deadLetterExchange: DEAD_LETTER_EXCHANGE,
  };
}

/** One jar for every template, as templates/flink builds it. */
export class FakeFlinkTemplates implements FlinkTemplateSource {
  version = '1.0.0';
  sha256 = 'sha-jobs-1';
  reads = 0;

  artifact(jobType: string, runtime: RuntimeKind): ArtifactRef {
    return this.ref(jobType, runtime);
  }

  readArtifact(jobType: string, _version: string, runtime: RuntimeKind) {
    this.reads++;
    return Promise.resolve({
      ref: this.ref(jobType, runtime),
      bytes: Buffer.from('PK fake jar'),
      filePath: '/repo/templates/flink/target/ruleshift-flink-jobs.jar',
    });
  }

  manifest(jobType: string): TemplateManifest {
    return {
      jobType,
      version: this.version,
      description: jobType,
      runtimes: ['edge', 'flink'],
      inputs: 1,
      jobPropsSchema: {},
      stateful: jobType !== 'filter',
      artifacts: {
        flink: {
          file: '../flink/target/ruleshift-flink-jobs.jar',
          entryClass:
            jobType === 'filter'
              ? 'io.ruleshift.flink.FilterJob'
              : 'io.ruleshift.flink.WindowAggregationJob',
        },
      },
    };
  }

  private ref(jobType: string, runtime: RuntimeKind): ArtifactRef {
    return {
      jobType,
      version: this.version,
      runtime,
      sha256: this.sha256,
      size: 11,
      path: `/artifacts/${jobType}/${this.version}/${runtime}`,
    };
  }
}
