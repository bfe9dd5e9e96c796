/**
 * The `pg` driver (installed with @mikro-orm/postgresql; no type package in this repository),
 * typed by the few calls the harness and the baseline server make.
 */
import { createRequire } from "node:module";

export interface QueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

export interface PoolClient extends Queryable {
  release(err?: Error | boolean): void;
}

export interface Pool extends Queryable {
  connect(): Promise<PoolClient>;
  end(): Promise<void>;
  on(event: "error", listener: (err: Error) => void): this;
}

interface PgModule {
  Pool: new (config: { connectionString: string; max?: number; idleTimeoutMillis?: number }) => Pool;
}

const pg = createRequire(import.meta.url)("pg") as PgModule;

/** A connection pool to `url`; errors of idle clients are swallowed (the next query reports them). */
export function pool(url: string, max = 10): Pool {
  return new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 10_000 }).on("error", () => undefined);
}

/** Runs `fn` in one transaction on one pooled connection. */
export async function transaction<T>(db: Pool, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("begin");
    const out = await fn(client);
    await client.query("commit");
    return out;
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
