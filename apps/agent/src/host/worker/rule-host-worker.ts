/**
 * Entry of the rule-host worker thread (production). It builds its own broker connections
 * from the serialisable config (sockets cannot cross threads) and its own checkpoint store on
 * the agent's data dir, then serves the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createBrokerRegistry } from '../../wiring/broker-factory';
import { AtomicFiles } from '../../store/atomic-files';
import { FileCheckpointStore } from '../../store/file-checkpoint-store';
import { nodeFileSystem } from '../../store/file-system';
import { engineRunnerFactory } from '../engine-runner-factory';
import { CulpritMarker } from './culprit-marker';
import { RuleHostServer, type HostPort } from './rule-host-server';
import type { RuleHostWorkerData } from './worker-protocol';

const data = workerData as RuleHostWorkerData;
const createRunner = engineRunnerFactory({
  brokers: createBrokerRegistry(data.brokerConfig),
  checkpoints: new FileCheckpointStore(new AtomicFiles(nodeFileSystem), data.dataDir),
  checkpointIntervalMs: data.checkpointIntervalMs,
});

new RuleHostServer(
  parentPort as unknown as HostPort,
  new CulpritMarker(data.culprit),
  (rule, hooks) => createRunner(rule, hooks),
).listen();
