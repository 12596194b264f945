import type { HostMessage, HostRequest } from './worker-protocol';

/** The part of worker_threads.Worker the host uses; tests may pass a fake. */
export interface WorkerLike {
  on(event: 'message', listener: (message: HostMessage) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  postMessage(message: HostRequest): void;
  terminate(): Promise<number>;
}
