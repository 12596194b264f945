import type { InstallationObject, JobInfo } from '@ruleshift/contracts';

/** The paper's installation object (section 3), with the filter jobProps of section 4. */
export const paperInstallation = (): InstallationObject => ({
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
  jobConfig: {
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'sensors',
      inputQueue: 'filter-in',
      inputRoutingKey: 'temperature',
      outputEndpoint: 'edge',
      outputExchange: 'alerts',
      outputRoutingKey: 'hot',
    },
  },
  jobProps: {
    condition: '>',
    threshold: 20,
    fieldName: 'temperature',
    fieldJsonPath: '$.temperature',
  },
});

export const jobInfo = (overrides: Partial<JobInfo> = {}): JobInfo => ({
  runtime: 'edge',
  jobId: 'job-1',
  jobType: 'filter',
  jobStatus: 'INSTALLED',
  configFileName: 'job-1.json',
  ...overrides,
});
