/** Nest injection token for the edge BrokerConnection the events endpoints publish to and tail. */
export const EDGE_BROKER = Symbol('EDGE_BROKER');
