import { RuntimeUnavailable } from '@ruleshift/contracts';

/** Downloads one artifact; injectable so tests never touch the network. */
export type FetchArtifact = (url: string) => Promise<Buffer>;

export const httpFetchArtifact: FetchArtifact = async (url) => {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RuntimeUnavailable('artifact.url', `cannot download ${url}: ${reason}`);
  }
  if (!response.ok) {
    throw new RuntimeUnavailable('artifact.url', `GET ${url} answered HTTP ${response.status}`);
  }
  return Buffer.from(await response.arrayBuffer());
};
