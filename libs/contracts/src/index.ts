export * from './job';
export * from './errors';
export * from './rule-config';
export * from './template-manifest';
export * from './agent-protocol';
export * from './adapter-protocol';
export * from './amqp-names';
export * from './job-id';
export * from './access';
export * from './dead-letters';
export * from './agent-identity';

export * from './pipeline';
export * from './events';
export * from './placement';
export * from './json-answer';
