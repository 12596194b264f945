/**
 * AGENT_ADAPTER_URL holds one adapter base URL, or several separated by commas (adapters in
 * standby each serve under their own ADAPTER_PUBLIC_URL): the agent enrols at the first that
 * answers and takes artifacts from whichever of them a command comes from, and from no other.
 */
export function adapterBaseUrls(adapterUrl: string): string[] {
  return adapterUrl
    .split(',')
    .map((url) => url.trim().replace(/\/+$/, ''))
    .filter((url) => url.length > 0);
}
