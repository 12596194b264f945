import { RUNTIME_KINDS } from '@ruleshift/contracts';

/** JSON Schema of `templates/<jobType>/manifest.json` (TemplateManifest in @ruleshift/contracts). */
export const MANIFEST_SCHEMA = {
  type: 'object',
  required: [
    'jobType',
    'version',
    'description',
    'runtimes',
    'inputs',
    'jobPropsSchema',
    'stateful',
    'artifacts',
  ],
  properties: {
    jobType: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
    version: { type: 'string', pattern: '^[0-9A-Za-z.+-]+$' },
    description: { type: 'string' },
    runtimes: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...RUNTIME_KINDS] },
    },
    inputs: { enum: [1, 2] },
    jobPropsSchema: { type: 'object' },
    stateful: { type: 'boolean' },
    artifacts: {
      type: 'object',
      propertyNames: { enum: [...RUNTIME_KINDS] },
      additionalProperties: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', minLength: 1 }, entryClass: { type: 'string' } },
      },
    },
  },
} as const;
