import { ValidationFailed } from '@ruleshift/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEdgeRuleModule } from './load-edge-rule-module';

const dir = mkdtempSync(join(tmpdir(), 'ruleshift-engine-'));
const write = (name: string, source: string): string => {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
};

describe('loadEdgeRuleModule', () => {
  it('loads the filter template artifact', () => {
    const module = loadEdgeRuleModule(resolve(__dirname, '../../../templates/filter/edge/rule.js'));
    expect(module.jobType).toBe('filter');
    expect(typeof module.create).toBe('function');
  });

  it.each([
    ['no-create.js', "module.exports = { jobType: 'x' };", 'create(config, engine)'],
    ['no-type.js', 'module.exports = { create() {} };', 'jobType'],
    ['number.js', 'module.exports = 5;', 'must export an object'],
    ['syntax.js', 'module.exports = {', 'cannot be loaded'],
    ['throws.js', "throw new Error('init failed');", 'init failed'],
  ])('rejects %s with a clear reason', (name, source, reason) => {
    const file = write(name, source);
    expect(() => loadEdgeRuleModule(file)).toThrow(ValidationFailed);
    expect(() => loadEdgeRuleModule(file)).toThrow(reason);
  });

  it('names a missing file', () => {
    expect(() => loadEdgeRuleModule(join(dir, 'absent.js'))).toThrow('cannot be loaded');
  });
});
