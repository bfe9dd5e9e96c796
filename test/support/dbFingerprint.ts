import type { MikroORM } from "@mikro-orm/core";

/**
 * Every table's row count, every sequence's position and `room_fence`'s rows: what any write would move. Two equal
 * fingerprints around a piece of work (the start-up warm-ups) show it wrote nothing that stayed.
 */
export async function databaseFingerprint(orm: MikroORM): Promise<Record<string, string>> {
  const conn = orm.em.fork().getConnection();
  const tables = await conn.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await conn.execute<{ n: string }[]>(`select count(*)::text as n from "${table_name}"`);
    out[table_name] = row!.n;
  }
  for (const s of await conn.execute<{ sequencename: string; last_value: string | null }[]>(
    `select sequencename, last_value::text from pg_sequences where schemaname = 'public'`,
  ))
    out[`sequence ${s.sequencename}`] = String(s.last_value);
  const [fence] = await conn.execute<{ f: string }[]>(`select coalesce(json_agg(r order by room_id)::text, '') as f from room_fence r`);
  out.room_fence_rows = fence!.f;
  return out;
}
