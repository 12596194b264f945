import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleshiftError, type TemplateManifest } from '@ruleshift/contracts';
import { TemplateCatalog } from './template-catalog';
import { DEFAULT_TEMPLATES_DIR } from './default-templates-dir';

const filterManifest: TemplateManifest = {
  jobType: 'filter',
  version: '1.0.0',
  description: 'threshold filter',
  runtimes: ['edge', 'flink'],
  inputs: 1,
  stateful: false,
  jobPropsSchema: {
    type: 'object',
    required: ['condition', 'threshold', 'fieldName', 'fieldJsonPath'],
    additionalProperties: false,
    properties: {
      condition: { enum: ['>', '>=', '=', '<', '<='] },
      threshold: { type: ['number', 'string'] },
      fieldName: { type: 'string' },
      fieldJsonPath: { type: 'string', pattern: '^\\$' },
      nested: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } },
    },
  },
  artifacts: {
    edge: { file: 'edge/rule.js' },
    flink: {
      file: '../flink/target/ruleshift-flink-jobs.jar',
      entryClass: 'io.ruleshift.flink.FilterJob',
    },
  },
};

const validProps = {
  condition: '>',
  threshold: 20,
  fieldName: 'temperature',
  fieldJsonPath: '$.temperature',
};
const EDGE_JS = 'module.exports = { jobType: "filter" };\n';

async function writeTemplate(
  dir: string,
  folder: string,
  manifest: unknown,
  edgeJs?: string,
): Promise<void> {
  await mkdir(join(dir, folder, 'edge'), { recursive: true });
  await writeFile(
    join(dir, folder, 'manifest.json'),
    typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
  );
  if (edgeJs !== undefined) await writeFile(join(dir, folder, 'edge', 'rule.js'), edgeJs);
}

function caught(fn: () => unknown): RuleshiftError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleshiftError) return error;
    throw error;
  }
  throw new Error('expected a RuleshiftError');
}

describe('TemplateCatalog', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ruleshift-templates-'));
    await writeTemplate(dir, 'filter', filterManifest, EDGE_JS);
    await mkdir(join(dir, 'flink', 'src'), { recursive: true }); // no manifest: skipped
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists templates, skipping folders without a manifest, with built artifacts only', async () => {
    const catalog = await TemplateCatalog.load(dir);
    const list = catalog.list();
    expect(list.map((t) => t.jobType)).toEqual(['filter']);
    const sha256 = createHash('sha256').update(EDGE_JS).digest('hex');
    expect(list[0].artifacts).toEqual({
      edge: {
        jobType: 'filter',
        version: '1.0.0',
        runtime: 'edge',
        sha256,
        size: Buffer.byteLength(EDGE_JS),
        path: '/artifacts/filter/1.0.0/edge',
      },
    });
    expect(list[0].runtimes).toEqual(['edge', 'flink']);
    expect(catalog.manifest('filter').artifacts.flink?.entryClass).toBe(
      'io.ruleshift.flink.FilterJob',
    );
  });

  it('get throws NotFound on headers.jobType for an unknown template', async () => {
    const catalog = await TemplateCatalog.load(dir);
    const error = caught(() => catalog.get('nope'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.errors[0].field).toBe('headers.jobType');
  });

  it('resolve rejects a runtime the template does not support', async () => {
    await writeTemplate(
      dir,
      'edge-only',
      { ...filterManifest, jobType: 'edge-only', runtimes: ['edge'] },
      EDGE_JS,
    );
    const catalog = await TemplateCatalog.load(dir);
    expect(catalog.resolve('edge-only', 'edge').jobType).toBe('edge-only');
    const error = caught(() => catalog.resolve('edge-only', 'flink'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors[0]).toEqual({
      field: 'headers.runtime',
      reason: expect.stringContaining('template edge-only does not support runtime flink'),
    });
  });

  it('artifact throws RuntimeUnavailable when the file is not built', async () => {
    const catalog = await TemplateCatalog.load(dir);
    expect(catalog.artifact('filter', 'edge').sha256).toMatch(/^[0-9a-f]{64}$/);
    const error = caught(() => catalog.artifact('filter', 'flink'));
    expect(error.code).toBe('RUNTIME_UNAVAILABLE');
    expect(error.errors[0].field).toBe('headers.runtime');
    expect(error.errors[0].reason).toContain('artifact not built: ');
    expect(error.errors[0].reason).toContain('ruleshift-flink-jobs.jar');
  });

  it('re-hashes an artifact that changed on disk', async () => {
    const catalog = await TemplateCatalog.load(dir);
    const before = catalog.artifact('filter', 'edge');
    await writeFile(join(dir, 'filter', 'edge', 'rule.js'), EDGE_JS + '// v2, longer\n');
    const after = catalog.artifact('filter', 'edge');
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.size).toBe(before.size + '// v2, longer\n'.length);
  });

  it('readArtifact returns the bytes with a matching ref, NotFound otherwise', async () => {
    const catalog = await TemplateCatalog.load(dir);
    const { ref, bytes, filePath } = await catalog.readArtifact('filter', '1.0.0', 'edge');
    expect(bytes.toString()).toBe(EDGE_JS);
    expect(ref.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(filePath).toBe(join(dir, 'filter', 'edge', 'rule.js'));
    for (const [jobType, version, runtime] of [
      ['nope', '1.0.0', 'edge'],
      ['filter', '9.9.9', 'edge'],
      ['filter', '1.0.0', 'flink'],
    ] as const) {
      await expect(catalog.readArtifact(jobType, version, runtime)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
  });

  describe('resolveJobProps', () => {
    let catalog: TemplateCatalog;
    beforeEach(async () => {
      catalog = await TemplateCatalog.load(dir);
    });

    it('accepts the paper filter jobProps', () => {
      expect(() => catalog.resolveJobProps('filter', validProps)).not.toThrow();
      expect(() =>
        catalog.resolveJobProps('filter', { ...validProps, threshold: '20' }),
      ).not.toThrow();
    });

    it('names every failing field with a readable reason', () => {
      const error = caught(() =>
        catalog.resolveJobProps('filter', {
          condition: '!=',
          threshold: true,
          fieldJsonPath: '$.t',
          extra: 1,
        }),
      );
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.errors).toEqual(
        expect.arrayContaining([
          { field: 'jobProps.condition', reason: 'must be one of ">", ">=", "=", "<", "<="' },
          { field: 'jobProps.threshold', reason: 'must be of type number or string' },
          { field: 'jobProps.fieldName', reason: 'is required' },
          { field: 'jobProps.extra', reason: 'is not a known property of this template' },
        ]),
      );
      expect(error.errors).toHaveLength(4);
    });

    it('uses dotted paths for nested fields and names jobProps itself when not an object', () => {
      const nested = caught(() =>
        catalog.resolveJobProps('filter', { ...validProps, nested: { size: 0 } }),
      );
      expect(nested.errors).toEqual([{ field: 'jobProps.nested.size', reason: 'must be >= 1' }]);
      const notObject = caught(() => catalog.resolveJobProps('filter', 'x'));
      expect(notObject.errors).toEqual([{ field: 'jobProps', reason: 'must be of type object' }]);
    });

    it('throws NotFound for an unknown jobType', () => {
      expect(caught(() => catalog.resolveJobProps('nope', {})).code).toBe('NOT_FOUND');
    });

    it('understands draft-07 schemas too', async () => {
      await writeTemplate(
        dir,
        'd7',
        {
          ...filterManifest,
          jobType: 'd7',
          jobPropsSchema: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            required: ['a'],
          },
        },
        EDGE_JS,
      );
      const reloaded = await TemplateCatalog.load(dir);
      expect(caught(() => reloaded.resolveJobProps('d7', {})).errors).toEqual([
        { field: 'jobProps.a', reason: 'is required' },
      ]);
    });
  });

  describe('resolveJobProps on the repository templates', () => {
    let catalog: TemplateCatalog;
    beforeAll(async () => {
      catalog = await TemplateCatalog.load(DEFAULT_TEMPLATES_DIR);
    });

    it('turns fieldName into the path of one key, dots and spaces included', () => {
      const props = { condition: '>', threshold: 1, fieldName: 'sensor.level' };
      expect(catalog.resolveJobProps('filter', props)).toEqual({
        ...props,
        fieldJsonPath: "$['sensor.level']",
      });
      expect(catalog.resolveJobProps('filter', { ...props, fieldName: "it's x" })).toMatchObject({
        fieldJsonPath: "$['it\\'s x']",
      });
      expect(catalog.resolveJobProps('filter', { ...props, fieldName: 'temp' })).toMatchObject({
        fieldJsonPath: '$.temp',
      });
      // An explicit path wins, and the request is not modified.
      const explicit = { ...props, fieldJsonPath: '$.sensor.level' };
      expect(catalog.resolveJobProps('filter', explicit).fieldJsonPath).toBe('$.sensor.level');
      expect(props).not.toHaveProperty('fieldJsonPath');
    });

    it('resolves business rules once: defaults filled in, errors named with indexes', () => {
      const rule = { name: 'hot', when: { path: '$.t', op: '>', value: 1 }, then: [{ tag: 'h' }] };
      expect(catalog.resolveJobProps('business-rules', { rules: [rule] })).toEqual({
        rules: [{ ...rule, priority: 0 }],
        chain: false,
        chainLimit: 10,
        onNoMatch: 'forward',
      });
      const bad = { ...rule, when: { any: [{ path: '$.t', op: 'between', value: 1 }] } };
      const errors = caught(() =>
        catalog.resolveJobProps('business-rules', { rules: [rule, { name: 'x' }, bad] }),
      ).errors;
      expect(errors).toHaveLength(4);
      expect(errors).toEqual(
        expect.arrayContaining([
          { field: 'jobProps.rules[1].when', reason: 'is required' },
          { field: 'jobProps.rules[1].then', reason: 'is required' },
          {
            field: 'jobProps.rules[2].when.any[0].op',
            reason: 'must be one of = != > >= < <= in contains exists matches',
          },
          { field: 'jobProps.rules[2].name', reason: 'duplicates rules[0].name' },
        ]),
      );
    });

    it('fills in the defaults both engines would otherwise apply on their own', () => {
      const props = {
        aggregate: 'count',
        window: { kind: 'tumbling', sizeMs: 1000 },
        timeFieldJsonPath: '$.ts',
      };
      expect(catalog.resolveJobProps('window-aggregation', props)).toEqual({
        ...props,
        window: { kind: 'tumbling', sizeMs: 1000, time: 'event' },
        maxOutOfOrdernessMs: 0,
        allowedLatenessMs: 0,
        maxKeys: 100_000,
      });
      expect(
        catalog.resolveJobProps('window-join', {
          leftKeyJsonPath: '$.a',
          rightKeyJsonPath: '$.b',
          timeFieldJsonPath: '$.ts',
          windowSizeMs: 10,
        }),
      ).toMatchObject({ maxOutOfOrdernessMs: 0, maxKeys: 100_000 });
    });
  });

  describe('broken manifests fail the load naming the file', () => {
    it.each([
      ['not JSON', '{ nope', /not JSON/],
      ['missing fields', { jobType: 'bad' }, /must have required property 'version'/],
      ['unknown runtime', { ...filterManifest, jobType: 'bad', runtimes: ['spark'] }, /runtimes/],
      [
        'runtime without artifact',
        { ...filterManifest, jobType: 'bad', artifacts: { edge: { file: 'e.js' } } },
        /runtime "flink" has no artifact/,
      ],
      [
        'schema that does not compile',
        { ...filterManifest, jobType: 'bad', jobPropsSchema: { type: 'nonsense' } },
        /jobPropsSchema does not compile/,
      ],
      ['duplicate jobType', { ...filterManifest }, /already declared/],
    ])('%s', async (_name, manifest, reason) => {
      await writeTemplate(dir, 'zz-bad', manifest);
      const load = TemplateCatalog.load(dir);
      await expect(load).rejects.toThrow(join(dir, 'zz-bad', 'manifest.json'));
      await expect(TemplateCatalog.load(dir)).rejects.toThrow(reason);
    });
  });

  it('DEFAULT_TEMPLATES_DIR points at <repo>/templates', () => {
    expect(DEFAULT_TEMPLATES_DIR).toBe(join(__dirname, '..', '..', '..', 'templates'));
  });
});
