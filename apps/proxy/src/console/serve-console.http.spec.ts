import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';

const INDEX = '<!doctype html><title>console</title><div id="root"></div>';

describe('web console served at / (HTTP)', () => {
  let dir: string;
  let t: ProxyTestApp;

  afterEach(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('when built', () => {
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ruleshift-console-'));
      await mkdir(join(dir, 'assets'));
      await writeFile(join(dir, 'index.html'), INDEX);
      await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1);');
      t = await createProxyTestApp({}, {}, { consoleDir: dir });
    });

    it('serves index.html at / without a token, never cached', async () => {
      const answer = await t.http(null).get('/').expect(200);
      expect(answer.text).toBe(INDEX);
      expect(answer.headers['content-type']).toMatch(/text\/html/);
      expect(answer.headers['cache-control']).toBe('no-cache');
    });

    it('serves hashed assets, cached for good', async () => {
      const answer = await t.http(null).get('/assets/index-abc123.js').expect(200);
      expect(answer.headers['content-type']).toMatch(/javascript/);
      expect(answer.headers['cache-control']).toContain('immutable');
    });

    it.each([
      '/rules',
      '/rules/0d6f4c6e-1c2f-4e55-a4d6-6f0c9b1a2b3c',
      '/install',
      '/runtimes/edge/gw2',
      '/deadletters',
    ])('answers the console route %s with index.html (a reload of the page)', async (path) => {
      const answer = await t.http(null).get(path).expect(200);
      expect(answer.text).toBe(INDEX);
    });

    it('leaves /api alone: unknown API paths keep their JSON 404, API routes their guard', async () => {
      const unknown = await t.http().get('/api/rules').expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404 });
      expect(unknown.headers['content-type']).toMatch(/json/);
      await t.http(null).get('/api/jobs').expect(401);
      await t.http(null).get('/api/health').expect(200, { status: 'ok' });
      // A path the static files cannot even decode passes on to the API too.
      const undecodable = await t.http().get('/api/jobs/%FF');
      expect(undecodable.headers['content-type']).toMatch(/json/);
      const undecodableConsole = await t.http(null).get('/rules/%FF');
      expect(undecodableConsole.status).toBe(200);
    });

    it('does not fall back for paths outside the console routes or for missing assets', async () => {
      for (const path of [
        '/not-a-console-route',
        '/assets/missing.js',
        '/rulesx',
        '/artifacts/filter/1.0.0/edge',
      ]) {
        const answer = await t.http(null).get(path);
        expect({ path, status: answer.status }).toEqual({ path, status: 404 });
        expect(answer.text).not.toBe(INDEX);
      }
    });
  });

  describe('when not built', () => {
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ruleshift-console-'));
      t = await createProxyTestApp({}, {}, { consoleDir: dir });
    });

    it('says at / how to build it, in the API error shape', async () => {
      const answer = await t.http(null).get('/').expect(404);
      expect(answer.body).toMatchObject({
        statusCode: 404,
        code: 'NOT_FOUND',
        message: expect.stringContaining('npm run build'),
        errors: [{ field: 'path', reason: 'the console is not built' }],
      });
    });
  });
});
