import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AtomicFiles } from '../store/atomic-files';
import { nodeFileSystem } from '../store/file-system';
import { BUNDLE, BUNDLE_SHA, TEST_TRUST, artifactFor, countingFetch } from '../testing/fakes';
import { SigningKey, signArtifact } from '@ruleshift/identity';
import { BundleCache } from './bundle-cache';

describe('BundleCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'agent-bundles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cacheWith = (fetchArtifact: (url: string) => Promise<Buffer>) =>
    new BundleCache(new AtomicFiles(nodeFileSystem), dir, fetchArtifact, TEST_TRUST);

  it('downloads a bundle once, stores it by jobType/version/sha256 and reuses it', async () => {
    const { calls, fetchArtifact } = countingFetch();
    const first = await cacheWith(fetchArtifact).ensure(artifactFor());
    const again = await cacheWith(fetchArtifact).ensure(artifactFor());

    expect(first).toBe(path.join(dir, 'bundles', 'filter', '1.0.0', `${BUNDLE_SHA}.js`));
    expect(again).toBe(first);
    expect(calls).toEqual(['http://adapter.test/artifacts/filter/1.0.0/edge']);
  });

  it('refuses a download whose sha256 differs and caches nothing', async () => {
    const { fetchArtifact } = countingFetch(Buffer.from('tampered'));
    const cache = cacheWith(fetchArtifact);
    await expect(cache.ensure(artifactFor())).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(`expected ${BUNDLE_SHA}`),
    });
    expect(existsSync(cache.pathFor(artifactFor()))).toBe(false);
  });

  it('fetches again when the cached file was corrupted on disk', async () => {
    const { calls, fetchArtifact } = countingFetch();
    const cache = cacheWith(fetchArtifact);
    const file = await cache.ensure(artifactFor());
    writeFileSync(file, 'garbage');
    await cache.ensure(artifactFor());
    expect(calls).toHaveLength(2);
    expect(await cache.isCached(artifactFor())).toBe(true);
    expect(BUNDLE.length).toBeGreaterThan(0);
  });

  it('rejects a malformed sha256 before any download', async () => {
    const { calls, fetchArtifact } = countingFetch();
    await expect(cacheWith(fetchArtifact).ensure(artifactFor('abc'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses, before any download, an artifact the pinned adapter key did not sign', async () => {
    const { calls, fetchArtifact } = countingFetch();
    const forger = SigningKey.generate();
    const forged = { ...artifactFor(), signature: signArtifact(forger, artifactFor()) };
    await expect(cacheWith(fetchArtifact).ensure(forged)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'artifact.signature', reason: expect.stringContaining('not signed') }],
    });
    const unsigned = { ...artifactFor(), signature: undefined };
    await expect(cacheWith(fetchArtifact).ensure(unsigned)).rejects.toMatchObject({
      errors: [{ field: 'artifact.signature' }],
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses a signed artifact whose version or hash was changed after signing', async () => {
    const { calls, fetchArtifact } = countingFetch();
    const older = { ...artifactFor(), version: '0.9.0' };
    await expect(cacheWith(fetchArtifact).ensure(older)).rejects.toMatchObject({
      errors: [{ field: 'artifact.signature' }],
    });
    expect(calls).toHaveLength(0);
  });

  it('refuses a command naming a foreign URL and downloads only from its adapter', async () => {
    const { calls, fetchArtifact } = countingFetch();
    const foreign = { ...artifactFor(), url: 'http://evil.test/artifacts/filter/1.0.0/edge' };
    await expect(cacheWith(fetchArtifact).ensure(foreign)).rejects.toMatchObject({
      errors: [{ field: 'artifact.url', reason: expect.stringContaining('evil.test') }],
    });
    const noUrl = { ...artifactFor(), url: undefined };
    await cacheWith(fetchArtifact).ensure(noUrl);
    expect(calls).toEqual(['http://adapter.test/artifacts/filter/1.0.0/edge']);
  });
});
