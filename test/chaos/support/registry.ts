/**
 * Read-only SQL on a system's registry database, for what the API does not show: operations
 * still holding a job, moves not finished, jobs created for a given input exchange.
 */
import { Client } from 'pg';

export class RegistryProbe {
  constructor(private readonly databaseUrl: string) {}

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Jobs an operation still holds, and moves neither DONE nor ROLLED_BACK. */
  async unfinished(): Promise<{ heldJobs: number; openMoves: number }> {
    const [held] = await this.query<{ n: string }>(
      'SELECT count(*) AS n FROM job WHERE operation IS NOT NULL',
    );
    const [moves] = await this.query<{ n: string }>(
      "SELECT count(*) AS n FROM move_operation WHERE state = 'IN_PROGRESS'",
    );
    return { heldJobs: Number(held.n), openMoves: Number(moves.n) };
  }

  /** Statuses of the jobs whose configuration names `exchange` (a failed install leaves none live). */
  async statusesForInput(exchange: string): Promise<string[]> {
    const rows = await this.query<{ status: string }>(
      'SELECT status FROM job WHERE strpos(config::text, $1) > 0',
      [exchange],
    );
    return rows.map((r) => r.status);
  }

  async latestMove(jobId: string): Promise<{ step: string; state: string } | undefined> {
    const [row] = await this.query<{ step: string; state: string }>(
      'SELECT step, state FROM move_operation WHERE job_id = $1 ORDER BY created_at DESC LIMIT 1',
      [jobId],
    );
    return row;
  }

  /**
   * Polls (one connection, every 20 ms) until the job's newest move is IN_PROGRESS at `step`.
   * Resolves false when that move ended first (the step was too quick to catch).
   */
  async waitForMoveStep(
    jobId: string,
    step: string,
    sinceMs: number,
    timeoutMs = 120_000,
  ): Promise<boolean> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const { rows } = await client.query<{ step: string; state: string }>(
          'SELECT step, state FROM move_operation WHERE job_id = $1 AND created_at >= to_timestamp($2 / 1000.0) ORDER BY created_at DESC LIMIT 1',
          [jobId, sinceMs],
        );
        const move = rows[0];
        if (move?.state === 'IN_PROGRESS' && move.step === step) return true;
        if (move && move.state !== 'IN_PROGRESS') return false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return false;
    } finally {
      await client.end();
    }
  }
}
