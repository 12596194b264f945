import { DataSource, type Repository } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity';

export abstract class ApiTokenRepository {
  abstract insert(token: ApiTokenEntity): Promise<void>;
  abstract findById(id: string): Promise<ApiTokenEntity | null>;
  abstract findBySecretHash(secretHash: string): Promise<ApiTokenEntity | null>;
  /** Oldest first. */
  abstract list(): Promise<ApiTokenEntity[]>;
  abstract markUsed(id: string, at: Date): Promise<void>;
  /** Sets revoked_at unless already set; returns the row as stored afterwards. */
  abstract revoke(id: string, at: Date): Promise<ApiTokenEntity | null>;
}

export class TypeormApiTokenRepository extends ApiTokenRepository {
  private readonly tokens: Repository<ApiTokenEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.tokens = dataSource.getRepository(ApiTokenEntity);
  }

  async insert(token: ApiTokenEntity): Promise<void> {
    await this.tokens.insert(token);
  }

  findById(id: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ id });
  }

  findBySecretHash(secretHash: string): Promise<ApiTokenEntity | null> {
    return this.tokens.findOneBy({ secretHash });
  }

  list(): Promise<ApiTokenEntity[]> {
    return this.tokens.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.tokens.update({ id }, { lastUsedAt: at });
  }

  async revoke(id: string, at: Date): Promise<ApiTokenEntity | null> {
    await this.tokens
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: at })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return this.findById(id);
  }
}
