/** Nest injection tokens for things the adapter receives from its host (main or standalone). */
export const ADAPTER_OPTIONS = Symbol('ADAPTER_OPTIONS');
export const BROKER_REGISTRY = Symbol('BROKER_REGISTRY');
export const TEMPLATE_CATALOG = Symbol('TEMPLATE_CATALOG');
/** The job registry's own TypeORM DataSource (not the host's, if it has one). */
export const REGISTRY_DATA_SOURCE = Symbol('REGISTRY_DATA_SOURCE');
