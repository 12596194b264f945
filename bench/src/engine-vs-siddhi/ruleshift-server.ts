import { spawn } from 'node:child_process';
import { extname, join } from 'node:path';
import type { OutputDigest } from './canonical';
import { LineServer } from './line-server';
import type { RuleshiftPhases } from './ruleshift-phases';
import type { Scenario } from './scenarios';

/** One timed repetition in the ruleshift process, with its outputs' digest. */
export interface RuleshiftRun extends OutputDigest {
  millis: number;
  cpuMillis: number;
  deadLetters: number;
}

/** The ruleshift process of one scenario (ruleshift-serve), started as the benchmark runs. */
export class RuleshiftServer extends LineServer {
  static start(repoRoot: string, scenario: Scenario): RuleshiftServer {
    const entry = join(__dirname, `ruleshift-serve${extname(__filename)}`);
    // The parent's execArgv carries tsx's loader when the benchmark runs from its sources.
    const child = spawn(process.execPath, [...process.execArgv, entry, repoRoot, scenario.name], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new RuleshiftServer(child, `ruleshift serve ${scenario.name}`);
  }

  run(inputFile: string): Promise<RuleshiftRun> {
    return this.ask<RuleshiftRun>(`run ${inputFile}`);
  }

  phases(inputFile: string): Promise<RuleshiftPhases> {
    return this.ask<RuleshiftPhases>(`phases ${inputFile}`);
  }
}
