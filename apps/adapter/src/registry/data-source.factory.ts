import Module from 'node:module';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
// The file, not the flink index: the index pulls in providers that depend on this registry.
import { FLINK_ENTITIES } from '../drivers/flink/persistence/typeorm-flink-deployment-store';
import { ACCESS_ENTITIES } from '../access/persistence';
import { AGENT_ENTITIES } from '../agents/persistence';

import { PIPELINE_ENTITIES } from '../pipelines/persistence';
import { PLACEMENT_ENTITIES } from '../placement/persistence';
import { OutboxEventEntity } from '../events/outbox/outbox-event.entity';
import { REGISTRY_ENTITIES } from './entities';
import { REGISTRY_MIGRATIONS } from './migrations';
import { EMBEDDED_POSTGRES_SETTINGS, EmbeddedDatabaseInitialiser } from './embedded-database';

/**
 * Where the job registry lives. `url` (postgres://...) wins; without it the registry is an
 * embedded PGlite database, on disk under `dataDir` or in memory (tests).
 */
export interface RegistryDatabaseOptions {
  url?: string;
  /** Base data dir (RULESHIFT_DATA_DIR); PGlite files go to `<dataDir>/pglite`. Default `.data`. */
  dataDir?: string;
  inMemory?: boolean;
  /** Postgres only: schema to use (integration tests isolate runs this way). */
  schema?: string;
  logging?: boolean;
}

type PgliteDriverClass = typeof import('typeorm-pglite').PGliteDriver;
type PgliteClass = typeof import('@electric-sql/pglite').PGlite;

/**
 * PGlite's CommonJS build loads Node built-ins with dynamic `import()`, which Jest's module
 * sandbox rejects unless Node runs with --experimental-vm-modules (Jest also swaps
 * createRequire). Loading typeorm-pglite, and PGlite with it, through a plain Node Module
 * behaves exactly like `require` in production and also works under Jest.
 */
function nodeModuleLoader(): Module {
  const loader = new Module(__filename);
  loader.filename = __filename;
  loader.paths = (
    Module as unknown as { _nodeModulePaths(dir: string): string[] }
  )._nodeModulePaths(__dirname);
  return loader;
}

function loadPgliteDriver(): PgliteDriverClass {
  return (nodeModuleLoader().require('typeorm-pglite') as typeof import('typeorm-pglite'))
    .PGliteDriver;
}

/** PGlite's own start parameters (single-user mode, no workers...) plus ours. */
function embeddedStartParams(): string[] {
  const { PGlite } = nodeModuleLoader().require('@electric-sql/pglite') as { PGlite: PgliteClass };
  return [...PGlite.defaultStartParams, ...EMBEDDED_POSTGRES_SETTINGS];
}

const embeddedDataDir = (options: RegistryDatabaseOptions): string =>
  options.inMemory ? 'memory://' : join(options.dataDir ?? '.data', 'pglite');

/**
 * PGlite recognises Dates with `instanceof`, which fails for Dates made in another realm (the
 * Jest sandbox, see above); ISO strings are what PostgreSQL takes anyway.
 */
const toTimestamp = (value: unknown): string =>
  value !== null && typeof value === 'object' && typeof (value as Date).toISOString === 'function'
    ? (value as Date).toISOString()
    : String(value);
const TIMESTAMP_SERIALIZERS = { 1082: toTimestamp, 1114: toTimestamp, 1184: toTimestamp };

/** The flink runtime's tables are always mapped: its migration runs whether or not it is enabled. */
const ENTITIES = [
  ...REGISTRY_ENTITIES,
  ...FLINK_ENTITIES,
  ...ACCESS_ENTITIES,
  ...AGENT_ENTITIES,
  ...PIPELINE_ENTITIES,
  ...PLACEMENT_ENTITIES,
  OutboxEventEntity,
];

export function registryDataSourceOptions(options: RegistryDatabaseOptions): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: REGISTRY_MIGRATIONS,
    // Run by openRegistryDataSource, under a lock: adapters may boot together on one database.
    migrationsRun: false,
    synchronize: false,
    logging: options.logging ?? false,
  } as const;
  if (options.url) {
    return { type: 'postgres', url: options.url, schema: options.schema, ...common };
  }
  // typeorm-pglite keeps one PGlite instance per process: one embedded registry per process.
  const PGliteDriver = loadPgliteDriver();
  return {
    type: 'postgres',
    driver: new PGliteDriver({
      dataDir: embeddedDataDir(options),
      serializers: TIMESTAMP_SERIALIZERS,
      // Applied on every open, so folders made before these settings get them too.
      startParams: embeddedStartParams(),
      initDbStartParams: [...EMBEDDED_POSTGRES_SETTINGS],
    }).driver,
    ...common,
  };
}

/** Any constant key: the advisory lock that serialises migrations across adapter processes. */
const MIGRATION_LOCK_KEY = 7_262_001;

/**
 * Opens the registry and brings its schema up to date. Two adapters booting at once on a fresh
 * PostgreSQL database would both run the migrations and one would fail on a duplicate table,
 * so they run under a session advisory lock (held on a connection of its own): the second
 * adapter waits, then finds nothing left to run.
 */
export async function openRegistryDataSource(
  options: RegistryDatabaseOptions,
): Promise<DataSource> {
  if (!options.url && !options.inMemory) {
    // The child resolves PGlite as this file does.
    await new EmbeddedDatabaseInitialiser(__dirname).ensureInitialised(embeddedDataDir(options));
  }
  const dataSource = await new DataSource(registryDataSourceOptions(options)).initialize();
  if (!options.url) {
    // Embedded PGlite: one process has the database, nothing to serialise against.
    await dataSource.runMigrations({ transaction: 'all' });
    return dataSource;
  }
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await dataSource.runMigrations({ transaction: 'all' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    await lock.release();
    await dataSource.destroy();
    throw error;
  }
  await lock.release();
  return dataSource;
}
