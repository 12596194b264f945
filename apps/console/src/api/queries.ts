import { useQuery } from '@tanstack/react-query';
import type {
  DeadLetterReport,
  JobDetails,
  PipelineDetails,
  PipelineInfo,
  RuntimeInfo,
  TemplateInfo,
} from '@ruleshift/contracts';
import { useApi } from '../auth/session';
import { deadLettersPath } from './dead-letters';
import { metricsHistory } from './metrics-history';

/** Live pages poll at this pace (the issue asks for updates every 1-2 s). */
export const POLL_MS = 1_500;
/** The API's largest page of jobs; the console shows one page. */
const JOBS_PAGE = 500;

const jobPath = (jobId: string) => `/api/jobs/${encodeURIComponent(jobId)}`;

export function useJobs() {
  const api = useApi();
  return useQuery({
    queryKey: ['jobs'],
    queryFn: async () => {
      const jobs = await api.get<JobDetails[]>(`/api/jobs?limit=${JOBS_PAGE}`);
      metricsHistory.record(jobs);
      return jobs;
    },
    refetchInterval: POLL_MS,
  });
}

export function useJob(jobId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['job', jobId],
    queryFn: async () => {
      const job = await api.get<JobDetails>(jobPath(jobId));
      metricsHistory.record([job]);
      return job;
    },
    refetchInterval: POLL_MS,
  });
}

/** The rendered config changes only with an operation: fetched again when the status does. */
export function useJobConfig(jobId: string, version: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['job-config', jobId, version],
    queryFn: () =>
      api.get<{ configFileName: string; content: unknown }>(`${jobPath(jobId)}/config`),
  });
}

export function useRuntimes() {
  const api = useApi();
  return useQuery({
    queryKey: ['runtimes'],
    queryFn: () => api.get<RuntimeInfo[]>('/api/runtimes'),
    refetchInterval: POLL_MS,
  });
}

export function useTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: ['templates'],
    queryFn: () => api.get<TemplateInfo[]>('/api/templates'),
    staleTime: 60_000,
  });
}

export function useDeadLetters(jobId: string | undefined, limit = 20) {
  const api = useApi();
  return useQuery({
    queryKey: ['deadletters', jobId, limit],
    queryFn: () => api.get<DeadLetterReport>(`${deadLettersPath(jobId ?? '')}?limit=${limit}`),
    enabled: jobId !== undefined,
    refetchInterval: POLL_MS,
    retry: false,
  });
}

export function usePipelines() {
  const api = useApi();
  return useQuery({
    queryKey: ['pipelines'],
    queryFn: () => api.get<PipelineInfo[]>('/api/pipelines'),
    refetchInterval: POLL_MS,
  });
}

/** One pipeline with its stages' jobs; their counters feed the rates on the graph's edges. */
export function usePipeline(pipeline: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['pipeline', pipeline],
    queryFn: async () => {
      const details = await api.get<PipelineDetails>(
        `/api/pipelines/${encodeURIComponent(pipeline)}`,
      );
      metricsHistory.record(details.stages.map((stage) => stage.job));
      return details;
    },
    refetchInterval: POLL_MS,
  });
}
