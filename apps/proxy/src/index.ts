export { ProxyModule, type ProxyModuleOptions } from './proxy.module';
export { configureProxyApp, type ConfigureProxyAppOptions } from './configure-proxy-app';
export {
  RpcAdapterClient,
  DEFAULT_ADAPTER_TIMEOUT_MS,
  type RpcAdapterClientOptions,
} from './adapter-client/rpc-adapter-client';
export { RuleshiftExceptionFilter, type HttpErrorBody } from './http/ruleshift-exception.filter';
export { EDGE_BROKER } from './shared/tokens';
