import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { TEMPLATE_CATALOG } from '../shared/tokens';
import { FakeTemplateCatalog } from '../testing/fake-template-catalog';
import { ArtifactController } from './artifact.controller';

describe('ArtifactController', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ArtifactController],
      providers: [{ provide: TEMPLATE_CATALOG, useValue: new FakeTemplateCatalog() }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves the artifact bytes with their sha256 and an ETag', async () => {
    const res = await request(app.getHttpServer()).get('/artifacts/filter/1.0.0/edge').buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['x-checksum-sha256']).toBe('sha-filter-edge');
    expect(res.headers.etag).toBe('"sha-filter-edge"');
    expect(Buffer.from(res.body as Buffer).toString()).toBe('module.exports={}');
  });

  it('answers 304 when the agent already has that version', async () => {
    const res = await request(app.getHttpServer())
      .get('/artifacts/filter/1.0.0/edge')
      .set('If-None-Match', '"sha-filter-edge"');
    expect(res.status).toBe(304);
  });

  it.each([
    '/artifacts/filter/9.9.9/edge',
    '/artifacts/nope/1.0.0/edge',
    '/artifacts/filter/1.0.0/spark',
  ])('404 for %s', async (path) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
