/** Test-only entry point (`@ruleshift/adapter/testing`): never part of the build. */
export { registryContractCases } from '../registry/testing/registry-contract';
export type { RegistryContractSetup } from '../registry/testing/registry-contract';
