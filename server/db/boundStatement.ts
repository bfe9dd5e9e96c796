/**
 * Statements that run on their own (no transaction) with bound parameters, on PostgreSQL's driver as named prepared
 * statements: a room's commit statement and the anchor writer's append, on every commit.
 */
import type { EntityManager } from "@mikro-orm/core";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import { arrayLiteral } from "./statementRows.js";

/** Bind parameters PostgreSQL takes in one statement (a larger commit goes with its values inlined). */
const MAX_BIND_PARAMS = 65_535;
/** Statement texts prepared by name on the pool's connections (commit shapes: which parts a commit has). */
const MAX_PREPARED = 256;
const prepared = new Map<string, { name: string; text: string }>();

/**
 * Runs one statement outside any transaction with its parameters bound by PostgreSQL (`$1`, `$2`, …), not
 * inlined into the text: MikroORM's `execute` formats every value into the SQL string first (quoting, escaping,
 * one string per commit), which was a tenth of a room commit's CPU. On PostgreSQL's own driver the statement goes
 * straight to a pooled connection as a named prepared statement: its text depends only on the commit's shape (rows
 * travel as arrays, `statementRows.ts`), so each connection parses and plans it once, and knex's per-query
 * rewriting of `?` is skipped. Same `?` placeholders, same rows. Arrays bind as PostgreSQL array literals.
 */
export async function runBound<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const connection = em.getConnection() as unknown as SqlConnection;
  const bound = params.map((p) => (Array.isArray(p) ? arrayLiteral(p) : p));
  // Objects bind as pg decides: such values keep MikroORM's formatting.
  const plain = bound.every((p) => p === null || typeof p !== "object" || p instanceof Date);
  if (!plain || bound.length > MAX_BIND_PARAMS || em.getTransactionContext() || typeof connection.getKnex !== "function")
    return connection.execute(sql, bound, "all");
  const knex = connection.getKnex();
  // PostgreSQL's own driver only (PGlite's connections are not `pg` clients); knex's `\\?` escapes stay with knex.
  if (!(em.getDriver() instanceof PostgreSqlDriver) || sql.includes("\\")) return (await knex.raw(sql, bound)).rows;
  let statement = prepared.get(sql);
  if (!statement) {
    let n = 0;
    statement = { name: `spotter_room_commit_${prepared.size}`, text: sql.replace(/\?/g, () => `$${++n}`) };
    if (prepared.size < MAX_PREPARED) prepared.set(sql, statement);
    else statement = { name: "", text: statement.text };
  }
  const client = await knex.client.acquireConnection();
  try {
    const result = await client.query(
      statement.name ? { name: statement.name, text: statement.text, values: bound } : { text: statement.text, values: bound },
    );
    return result.rows as T[];
  } finally {
    await knex.client.releaseConnection(client);
  }
}

interface PgClient {
  query(q: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface SqlConnection {
  execute<T>(sql: string, params: unknown[], method: "all"): Promise<T[]>;
  getKnex(): {
    raw(sql: string, bindings: readonly unknown[]): Promise<{ rows: never[] }>;
    client: { acquireConnection(): Promise<PgClient>; releaseConnection(c: PgClient): Promise<unknown> };
  };
}
