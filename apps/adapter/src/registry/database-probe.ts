import type { DataSource } from 'typeorm';

/** Health check of the registry database. */
export abstract class DatabaseProbe {
  abstract ping(): Promise<void>;
}

export class DataSourceProbe extends DatabaseProbe {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
