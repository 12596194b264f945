import { RuntimeUnavailable, ValidationFailed } from '@ruleshift/contracts';

/** Downloads one artifact; injectable so tests never touch the network. */
export type FetchArtifact = (url: string) => Promise<Buffer>;

export const DEFAULT_ARTIFACT_TIMEOUT_MS = 30_000;
export const DEFAULT_ARTIFACT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Downloads over HTTP(S) with a deadline for the whole transfer and a size bound checked as
 * bytes arrive (a lying or missing Content-Length cannot make the agent buffer more), and no
 * redirects: a redirect could lead anywhere, and the agent fetches only from its adapter.
 */
export function httpArtifactFetcher(
  limits: { timeoutMs?: number; maxBytes?: number } = {},
): FetchArtifact {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_ARTIFACT_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? DEFAULT_ARTIFACT_MAX_BYTES;
  return async (url) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { signal, redirect: 'error' });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeUnavailable('artifact.url', `cannot download ${url}: ${reason}`);
    }
    if (!response.ok) {
      throw new RuntimeUnavailable('artifact.url', `GET ${url} answered HTTP ${response.status}`);
    }
    const tooLarge = (): ValidationFailed =>
      new ValidationFailed([
        { field: 'artifact.size', reason: `${url} is larger than ${maxBytes} bytes; refused` },
      ]);
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of response.body ?? []) {
        received += (chunk as Uint8Array).length;
        if (received > maxBytes) {
          await response.body?.cancel().catch(() => undefined);
          throw tooLarge();
        }
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    } catch (error) {
      if (error instanceof ValidationFailed) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeUnavailable('artifact.url', `download of ${url} failed: ${reason}`);
    }
    return Buffer.concat(chunks);
  };
}

export const httpFetchArtifact: FetchArtifact = httpArtifactFetcher();
