export * from './errors';
export * from './types';
export * from './flink-rest-client';
