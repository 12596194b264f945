/**
 * Work only the active adapter may do (consume heartbeats, watch Flink, recover moves, sweep,
 * serve requests). Registered with AdapterLeadership, which starts duties in registration order
 * when this adapter takes the lease and stops them in reverse order when it loses or leaves it.
 */
export interface ActiveDuty {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
