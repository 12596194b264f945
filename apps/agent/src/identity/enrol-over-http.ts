import {
  ENROL_PATH,
  RuleshiftError,
  RuntimeUnavailable,
  type EnrolAgentRequest,
  type EnrolAgentResponse,
} from '@ruleshift/contracts';

/** Presents an enrolment token to the adapter; injectable so unit tests need no HTTP. */
export type EnrolAtAdapter = (
  adapterUrl: string,
  request: EnrolAgentRequest,
) => Promise<EnrolAgentResponse>;

const ENROL_TIMEOUT_MS = 15_000;

export const enrolOverHttp: EnrolAtAdapter = async (adapterUrl, request) => {
  const url = `${adapterUrl.replace(/\/+$/, '')}${ENROL_PATH}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(ENROL_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuntimeUnavailable('AGENT_ADAPTER_URL', `cannot reach ${url}: ${reason}`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (RuleshiftError.isErrorBody(body)) throw RuleshiftError.fromJSON(body);
    throw new RuntimeUnavailable('AGENT_ADAPTER_URL', `${url} answered HTTP ${response.status}`);
  }
  return body as EnrolAgentResponse;
};
