/** Builders for the paper's JSON objects used across integration tests. */
import { randomUUID } from 'node:crypto';

export interface NamedConnectors {
  inputEndpoint: string;
  inputExchange: string;
  inputQueue: string;
  inputRoutingKey: string;
  outputEndpoint: string;
  outputExchange: string;
  outputRoutingKey: string;
}

export interface RoutingKeys {
  input: string;
  output: string;
}

const TEMPERATURE_ROUTING_KEYS: RoutingKeys = {
  input: 'sensors.temperature',
  output: 'alerts.temperature',
};

/** Fresh exchange/queue names so tests sharing the vhosts never see each other's events. */
export function uniqueConnectors(
  prefix: string,
  endpoint = 'edge',
  routingKeys: RoutingKeys = TEMPERATURE_ROUTING_KEYS,
): NamedConnectors {
  const id = `${prefix}-${randomUUID().slice(0, 8)}`;
  return {
    inputEndpoint: endpoint,
    inputExchange: `${id}.in`,
    inputQueue: `${id}.rule-input`,
    inputRoutingKey: routingKeys.input,
    outputEndpoint: endpoint,
    outputExchange: `${id}.out`,
    outputRoutingKey: routingKeys.output,
  };
}

/** The paper's installation object for its threshold filter (section 4), field names exact. */
export function filterInstallation(
  targetResource: string,
  connectors: NamedConnectors,
  runtime: 'edge' | 'flink' = 'edge',
  threshold = 20,
): Record<string, unknown> {
  return {
    headers: { runtime, targetResource, jobType: 'filter' },
    jobConfig: { connectors },
    jobProps: {
      condition: '>',
      threshold,
      fieldName: 'temperature',
      fieldJsonPath: '$.temperature',
    },
  };
}

export interface Reading {
  deviceId: string;
  seq: number;
  temperature: number;
}

/** Readings whose temperature crosses the filter's threshold on every other event. */
export function readings(count: number, devices = 10): Reading[] {
  return Array.from({ length: count }, (_, seq) => ({
    deviceId: `device-${seq % devices}`,
    seq,
    temperature: seq % 2 === 0 ? 25 + (seq % 7) : 10 + (seq % 7),
  }));
}

export const aboveThreshold = (events: Reading[]): Reading[] =>
  events.filter((e) => e.temperature > 20);
