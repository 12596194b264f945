import {
  NotFound,
  ValidationFailed,
  type ArtifactRef,
  type RuntimeKind,
  type TemplateInfo,
} from '@ruleshift/contracts';
import type { TemplateCatalogPort } from '../shared/template-catalog-port';

const template = (jobType: string, stateful: boolean, runtimes: RuntimeKind[]): TemplateInfo => ({
  jobType,
  version: '1.0.0',
  description: `${jobType} test template`,
  runtimes,
  inputs: 1,
  stateful,
  jobPropsSchema: {},
  artifacts: Object.fromEntries(runtimes.map((runtime) => [runtime, refFor(jobType, runtime)])),
});

const refFor = (jobType: string, runtime: RuntimeKind): ArtifactRef => ({
  jobType,
  version: '1.0.0',
  runtime,
  sha256: `sha-${jobType}-${runtime}`,
  size: 11,
  path: `/artifacts/${jobType}/1.0.0/${runtime}`,
});

/** Stand-in for @ruleshift/templates' TemplateCatalog with the paper's templates. */
export class FakeTemplateCatalog implements TemplateCatalogPort {
  readonly templates = new Map<string, TemplateInfo>([
    ['filter', template('filter', false, ['edge', 'flink'])],
    ['window-aggregation', template('window-aggregation', true, ['edge', 'flink'])],
    ['edge-only', template('edge-only', false, ['edge'])],
  ]);

  list(): TemplateInfo[] {
    return [...this.templates.values()];
  }

  get(jobType: string): TemplateInfo {
    const found = this.templates.get(jobType);
    if (!found) throw new NotFound('headers.jobType', `no template named ${jobType}`);
    return found;
  }

  resolve(jobType: string, runtime: RuntimeKind): TemplateInfo {
    const found = this.get(jobType);
    if (!found.runtimes.includes(runtime)) {
      throw new ValidationFailed([
        {
          field: 'headers.runtime',
          reason: `template ${jobType} does not support runtime ${runtime}`,
        },
      ]);
    }
    return found;
  }

  resolveJobProps(_jobType: string, jobProps: unknown): Record<string, unknown> {
    const props = jobProps as Record<string, unknown>;
    if (props.threshold === 'not-a-number') {
      throw new ValidationFailed([{ field: 'jobProps.threshold', reason: 'must be a number' }]);
    }
    return props;
  }

  artifact(jobType: string, runtime: RuntimeKind): ArtifactRef {
    this.resolve(jobType, runtime);
    return refFor(jobType, runtime);
  }

  readArtifact(
    jobType: string,
    version: string,
    runtime: RuntimeKind,
  ): Promise<{ ref: ArtifactRef; bytes: Buffer; filePath: string }> {
    const found = this.templates.get(jobType);
    if (!found || found.version !== version || !found.runtimes.includes(runtime)) {
      return Promise.reject(
        new NotFound('jobType', `no artifact ${jobType}/${version}/${runtime}`),
      );
    }
    return Promise.resolve({
      ref: refFor(jobType, runtime),
      bytes: Buffer.from('module.exports={}'),
      filePath: `/templates/${jobType}/edge/rule.js`,
    });
  }
}
