export { ProxyModule, type ProxyModuleOptions } from './proxy.module';
export { configureProxyApp, type ConfigureProxyAppOptions } from './configure-proxy-app';
export {
  RmqAdapterClient,
  DEFAULT_ADAPTER_TIMEOUT_MS,
  type RmqAdapterClientOptions,
} from './adapter-client/rmq-adapter-client';
export { RuleshiftExceptionFilter, type HttpErrorBody } from './http/ruleshift-exception.filter';
export { EDGE_BROKER } from './shared/tokens';
