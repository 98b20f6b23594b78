import pg, { type ClientBase, type Pool } from 'pg';

/** BIGINT (seqs, counts) as numbers: every one the service keeps stays far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function openPool(url: string, max = 10): Pool {
  return new pg.Pool({ connectionString: url, max, types });
}

/** A pooled connection's transaction: every Storage method is one. */
export async function transaction<T>(
  pool: Pool,
  fn: (db: ClientBase) => Promise<T>,
  mode = '',
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`BEGIN ${mode}`);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}
