export { bootstrapStandalone, type StandaloneHandle, type StandaloneOptions } from './bootstrap';
export { parseStandaloneEnv, type StandaloneEnv } from './config/standalone-env';
