import { InitialRegistry1767225600000 } from './1767225600000-initial-registry';

export const REGISTRY_MIGRATIONS = [InitialRegistry1767225600000];
