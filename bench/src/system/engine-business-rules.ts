/**
 * 4. The business-rules template on the edge engine alone (no broker): ~216-byte JSON strings ->
 * parseJson -> the template's edge program (node-rules) -> JSON.stringify of every output,
 * beside the same 10 rules (2-3 conditions each) evaluated by json-rules-engine, the peer a user
 * would otherwise pick, in the same run. The peer's events are applied the same way (tags and
 * one field set), so both produce the same outputs.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RuleConfig } from '@ruleshift/contracts';
import type { RawInput } from '@ruleshift/engine';
import { Engine, type RuleProperties } from 'json-rules-engine';
import { from, lastValueFrom, toArray } from 'rxjs';
import { builtEngine } from '../engine-vs-siddhi/built-engine';
import { emissions } from '../engine-vs-siddhi/ruleshift-engine';
import { businessRulesJobProps, RULES, type Cmp } from '../business-rules-set';
import { benchEvent } from '../payload';
import { median, report } from '../stats';
import { positiveIntEnv } from './settings';

const BENCH = 'engine-business-rules';
const REPO_ROOT = path.resolve(__dirname, '../../..');

function businessRulesConfig(): RuleConfig {
  return {
    jobId: 'bench-business-rules',
    jobType: 'business-rules',
    templateVersion: '1.0.0',
    jobProps: businessRulesJobProps(),
    deadLetterExchange: 'ruleshift.dlx',
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'bench.in',
      inputQueue: 'bench.in',
      inputRoutingKey: 'bench',
      outputEndpoint: 'edge',
      outputExchange: 'bench.out',
      outputRoutingKey: 'bench',
    },
  };
}

async function ruleshiftOnce(lines: RawInput[]): Promise<{ millis: number; outputs: string[] }> {
  const engine = builtEngine(REPO_ROOT);
  const module = engine.loadEdgeRuleModule(
    path.join(REPO_ROOT, 'templates', 'business-rules', 'edge', 'rule.js'),
  );
  const program = module.create(businessRulesConfig(), engine.engineToolkit);
  const started = performance.now();
  const all = await lastValueFrom(emissions(engine, program, from(lines)).pipe(toArray()));
  const outputs = all.map((e) =>
    e.kind !== 'output'
      ? 'dead-letter'
      : e.raw === undefined
        ? JSON.stringify(e.value)
        : e.raw.toString(),
  );
  return { millis: performance.now() - started, outputs };
}

const PEER_OPERATOR: Record<Cmp['op'], string> = {
  '>': 'greaterThan',
  '<': 'lessThan',
  '=': 'equal',
  '!=': 'notEqual',
  in: 'in',
};

function peerEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: false });
  RULES.forEach((rule) => {
    const properties: RuleProperties = {
      name: rule.name,
      conditions: {
        all: rule.conditions.map((c) => ({
          fact: c.path.slice(2),
          operator: PEER_OPERATOR[c.op],
          value: c.value as never,
        })),
      },
      event: { type: rule.tag, params: rule.severity ? { severity: rule.severity } : {} },
    };
    engine.addRule(properties);
  });
  return engine;
}

async function peerOnce(lines: string[]): Promise<{ millis: number; outputs: string[] }> {
  const engine = peerEngine();
  const outputs: string[] = [];
  const started = performance.now();
  for (const line of lines) {
    const event = JSON.parse(line) as Record<string, unknown>;
    const { events } = await engine.run(event);
    if (events.length === 0) {
      outputs.push(line);
      continue;
    }
    const tags: string[] = [];
    for (const fired of events) {
      tags.push(fired.type);
      const severity = (fired.params as { severity?: string } | undefined)?.severity;
      if (severity !== undefined) event.severity = severity;
    }
    event.tags = tags;
    outputs.push(JSON.stringify(event));
  }
  return { millis: performance.now() - started, outputs };
}

export async function engineBusinessRules(): Promise<void> {
  const events = positiveIntEnv('BENCH_ENGINE_BUSINESS_RULES_EVENTS', 100_000);
  const lines = Array.from({ length: events }, (_, seq) => JSON.stringify(benchEvent(seq)));
  const rates = { ruleshift: [] as number[], peer: [] as number[] };
  let matched = 0;
  for (let rep = 0; rep < 5; rep++) {
    const ours = await ruleshiftOnce(lines);
    const peer = await peerOnce(lines);
    if (ours.outputs.length !== events || peer.outputs.length !== events) {
      throw new Error(`${ours.outputs.length} and ${peer.outputs.length} outputs of ${events}`);
    }
    matched = ours.outputs.filter((line) => line.includes('"tags"')).length;
    if (rep < 2) continue; // warm-up
    rates.ruleshift.push((events * 1000) / ours.millis);
    rates.peer.push((events * 1000) / peer.millis);
  }
  const ours = Math.round(median(rates.ruleshift));
  const peer = Math.round(median(rates.peer));
  const note = `${events} events, 10 rules of 2-3 conditions, ${matched} events tagged, median of 3 after 2 warm-up`;
  report({
    bench: BENCH,
    metric: 'business-rules template: JSON in -> JSON out',
    value: ours,
    unit: 'events/s',
    target: '>= 150000',
    note,
  });
  report({
    bench: BENCH,
    metric: 'json-rules-engine, same rules',
    value: peer,
    unit: 'events/s',
    note,
  });
  report({
    bench: BENCH,
    metric: 'ruleshift / json-rules-engine',
    value: Number((ours / peer).toFixed(2)),
    unit: 'x',
    target: '>= 2',
  });
}
