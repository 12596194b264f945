import { tap } from 'rxjs';
import type { EdgeRuleModule, EdgeRuleProgram } from '@ruleshift/engine';

/**
 * Wraps a template module so `markExecuting` runs right before each event enters the rule's
 * operator. The worker host uses it to say which rule is on the CPU; the rule itself is
 * untouched.
 */
export function markedModule(module: EdgeRuleModule, markExecuting: () => void): EdgeRuleModule {
  return {
    jobType: module.jobType,
    create(config, engine) {
      const program = module.create(config, engine);
      const marked: EdgeRuleProgram = {
        operator: (events) => program.operator(events.pipe(tap(markExecuting))),
        fieldPaths: program.fieldPaths,
        snapshot: program.snapshot?.bind(program),
        restore: program.restore?.bind(program),
        metrics: program.metrics?.bind(program),
      };
      return marked;
    },
  };
}
