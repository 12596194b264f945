/**
 * The OpenAPI document `npm start` serves at /api/docs-json, as a client generator reads it:
 * every operation names its security (the bearer scheme, or none for liveness) and its error
 * answers in the one error shape; openapi-typescript generates types for every operation from
 * it; and an openapi-fetch client typed by the generated types (committed as
 * test/support/generated/ruleshift-api.ts) installs, reads and refuses against the embedded system.
 */
import { readFile } from 'node:fs/promises';
import createClient from 'openapi-fetch';
import {
  EMBEDDED_ADMIN_TOKEN,
  filterInstallation,
  startEmbeddedStandalone,
  type EmbeddedStandalone,
} from '../support/embedded-http';
import type { paths } from '../support/generated/ruleshift-api';
import { GENERATED_API_TYPES, generateApiTypes, staleTypesMessage } from '../support/openapi-types';

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
  'x-ruleshift-role'?: string;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes: Record<string, { type: string; scheme?: string }>;
    schemas: Record<string, { required?: string[] }>;
  };
}

describe('the OpenAPI document and a client generated from it (embedded npm start)', () => {
  let embedded: EmbeddedStandalone;
  let document: OpenApiDocument;

  beforeAll(async () => {
    embedded = await startEmbeddedStandalone();
    document = (await (
      await fetch(`${embedded.standalone.url}/api/docs-json`)
    ).json()) as OpenApiDocument;
  }, 120_000);

  afterAll(async () => {
    await embedded?.close();
  });

  const operations = (): Array<[string, Operation]> =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]): [string, Operation] => [
        `${method} ${path}`,
        operation,
      ]),
    );

  it('declares one bearer scheme (API keys and OIDC JWTs) and the one error shape', () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(document.components.schemas.ErrorBody.required).toEqual([
      'statusCode',
      'code',
      'message',
      'errors',
    ]);
  });

  it('gives every operation its security and its error answers in the error shape', () => {
    const listed = operations();
    expect(listed.length).toBeGreaterThan(20);
    for (const [name, operation] of listed) {
      const role = operation['x-ruleshift-role'];
      const errors = Object.entries(operation.responses).filter(
        ([status]) => Number(status) >= 400,
      );
      for (const [status, response] of errors) {
        expect([name, status, response.content?.['application/json']?.schema?.$ref]).toEqual([
          name,
          status,
          '#/components/schemas/ErrorBody',
        ]);
      }
      const statuses = errors.map(([status]) => status);
      if (name === 'get /api/health') {
        expect([name, role, operation.security]).toEqual([name, 'public', []]);
        expect(statuses).toEqual(['429', '500']);
      } else {
        expect([name, operation.security]).toEqual([name, [{ bearer: [] }]]);
        expect([name, ['viewer', 'operator', 'admin'].includes(role ?? '')]).toEqual([name, true]);
        expect([name, statuses]).toEqual([
          name,
          expect.arrayContaining(['401', '403', '429', '500', '503']),
        ]);
      }
    }
    const install = document.paths['/api/install'].post;
    expect(Object.keys(install.responses).sort()).toEqual(
      ['200', '400', '401', '403', '404', '409', '413', '415', '429', '500', '502', '503'].sort(),
    );
  });

  let generated: string;

  it('generates client types for every operation of the document', async () => {
    generated = await generateApiTypes(document);
    for (const [path, item] of Object.entries(document.paths)) {
      const at = generated.indexOf(`\n    "${path}": {`);
      expect([path, at >= 0]).toEqual([path, true]);
      // This path's block: up to the next path (or the end of `paths`).
      const next = generated.indexOf('\n    "/', at + 1);
      const declared = generated.slice(at, next < 0 ? generated.indexOf('\n}', at) : next);
      for (const method of Object.keys(item)) {
        expect([path, method, declared.includes(`        ${method}: operations[`)]).toEqual([
          path,
          method,
          true,
        ]);
      }
    }
  }, 60_000);

  it('has committed the client types the served document generates (none gone stale)', async () => {
    const committed = await readFile(GENERATED_API_TYPES, 'utf8');
    const stale = staleTypesMessage(committed, generated ?? (await generateApiTypes(document)));
    if (stale) throw new Error(stale);
  }, 60_000);

  it('installs, reads and is refused through a generated openapi-fetch client', async () => {
    const client = createClient<paths>({
      baseUrl: embedded.standalone.url,
      headers: { authorization: `Bearer ${EMBEDDED_ADMIN_TOKEN}` },
    });

    const templates = await client.GET('/api/templates');
    expect(templates.response.status).toBe(200);

    const installed = await client.POST('/api/install', {
      body: filterInstallation('openapi-client') as never,
    });
    expect(installed.response.status).toBe(200);
    const jobId = installed.data!.jobId;
    expect(installed.data).toMatchObject({ jobType: 'filter', jobStatus: 'INSTALLED' });

    const job = await client.GET('/api/jobs/{jobId}', { params: { path: { jobId } } });
    expect(job.response.status).toBe(200);
    expect(job.data).toMatchObject({ jobId });

    const refused = await client.POST('/api/install', {
      body: { ...filterInstallation('openapi-bad'), jobProps: { condition: '~' } } as never,
    });
    expect(refused.response.status).toBe(400);
    // The generated type of a 400 is the error shape: its fields are there without a cast.
    expect(refused.error?.code).toBe('VALIDATION_FAILED');
    expect(refused.error?.errors.map((e) => e.field)).toContain('jobProps.condition');

    const anonymous = createClient<paths>({ baseUrl: embedded.standalone.url });
    const unauthenticated = await anonymous.GET('/api/runtimes');
    expect(unauthenticated.response.status).toBe(401);
    expect(unauthenticated.error?.errors).toEqual([
      { field: 'headers.authorization', reason: expect.any(String) },
    ]);
  });
});
