export * from './job';
export * from './errors';
export * from './rule-config';
export * from './template-manifest';
export * from './agent-protocol';
export * from './adapter-protocol';
export * from './access';
