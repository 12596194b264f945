import { EMPTY } from 'rxjs';
import type { EdgeRuleModule } from '@ruleshift/engine';
import { markedModule } from './marked-module';

describe('markedModule', () => {
  it("keeps the program's fieldPaths, so parsing still extracts only what the rule reads", () => {
    const module: EdgeRuleModule = {
      jobType: 'reads-two',
      create: () => ({ operator: () => EMPTY, fieldPaths: ['$.ts', '$.deviceId'] }),
    };
    const program = markedModule(module, () => undefined).create(
      {} as Parameters<EdgeRuleModule['create']>[0],
      {},
    );
    expect(program.fieldPaths).toEqual(['$.ts', '$.deviceId']);
  });
});
