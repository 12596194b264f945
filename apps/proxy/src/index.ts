export { ProxyModule, type ProxyModuleOptions } from './proxy.module';
export { configureProxyApp, type ConfigureProxyAppOptions } from './configure-proxy-app';
export {
  RpcAdapterClient,
  DEFAULT_ADAPTER_TIMEOUT_MS,
  type RpcAdapterClientOptions,
} from './adapter-client/rpc-adapter-client';
export { RuleshiftExceptionFilter, type HttpErrorBody } from './http/ruleshift-exception.filter';
export { EDGE_BROKER } from './shared/tokens';
export {
  type AuthOptions,
  type OidcOptions,
  type FailedAuthLimits,
  DEFAULT_API_KEY_CACHE_TTL_MS,
  DEFAULT_FAILED_AUTH_LIMITS,
} from './auth/auth-options';
export {
  AUTH_ENV_SHAPE,
  requireCompleteOidc,
  AuthEnvSchema,
  authOptionsFrom,
  MIN_ADMIN_TOKEN_LENGTH,
  type AuthEnv,
} from './auth/auth-env';
export { API_KEY_PREFIX, mintApiKeySecret } from './auth/api-key-secret';
