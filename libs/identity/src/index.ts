export * from './ed25519-keys';
export * from './signed-message';
export * from './replay-guard';
export * from './artifact-signature';
export * from './key-file';
