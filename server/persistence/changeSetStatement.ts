/**
 * A unit of work's changes as parts of ONE statement. MikroORM computes the change sets (what was created,
 * which properties of which merged entity changed, what was removed); instead of its flush — a transaction and
 * a statement or more per entity type, and most of a room commit's CPU — each group of change sets becomes one
 * data-modifying CTE of the room's commit statement (`commitRecords`), written only if the room's version held.
 * Rows go as one array per column (`server/db/statementRows.ts`), so the statement's text does not grow with the batch.
 * The cost is O(changes): the fork holds only the entities the commit merged, created or removed.
 */
import { ChangeSetType, JsonType, type ChangeSet, type EntityManager, type EntityMetadata, type EntityProperty } from "@mikro-orm/core";
import { arrayLiteral, unnestRows } from "../db/statementRows.js";

/** One CTE of a commit statement: `name as (sql)`; `sql` may refer to `held` (the version check's row). */
export interface StatementPart {
  name: string;
  sql: string;
  params: unknown[];
}

/** Rows an entity gains in the commit, as plain data (`em.insertMany`'s way: entity metadata and custom types, no unit of work). */
export interface NewRows {
  entity: { meta: { className: string } };
  rows: readonly object[];
}

/** Rows that existed and may have changed: the committed version and the one to store, as plain data. */
export interface ChangedRows {
  entity: { meta: { className: string } };
  rows: readonly { previous: object; next: object }[];
}

/** A row to write: its values, and whether a property is written (an insert: defined; an update: changed). */
type Row = { values: Record<string, unknown>; has(prop: EntityProperty): boolean };
type Update = Row & { pk: unknown };
type Group = { meta: EntityMetadata; creates: Row[]; updates: Update[]; deletes: ChangeSet<object>[] };

/**
 * The CTEs that write the change sets of `em`'s unit of work (without flushing it), and `inserts`. Per table:
 * deletes, then updates, then inserts (each insert waits for the table's updates and deletes, so a row that leaves
 * a partial unique index — a cancelled booking — makes room for the one that enters it in the same commit).
 *
 * New rows need no change-set computation (all of a new row is written), so they may come as `inserts` instead of
 * entities created in the unit of work: mapping them costs a tenth of `em.create` plus the change-set pass, which
 * was the largest part of a booking commit's CPU. Rows that existed may come as `changed` (committed and new version):
 * their change sets are computed as the unit of work computes them, without merging them into it (`changedColumns`).
 * Deletes, and anything else put into the unit of work, are its own change sets.
 */
export function changeSetParts(
  em: EntityManager,
  prefix = "w",
  inserts: readonly NewRows[] = [],
  changed: readonly ChangedRows[] = [],
): StatementPart[] {
  const uow = em.getUnitOfWork();
  const groups = new Map<string, Group>();
  const groupOf = (meta: EntityMetadata) => {
    let g = groups.get(meta.className);
    if (!g) groups.set(meta.className, (g = { meta, creates: [], updates: [], deletes: [] }));
    return g;
  };
  // The unit of work only when something went into it (a removal): computing change sets is a pass over all of it.
  if (uow.getIdentityMap().keys().length > 0 || uow.getRemoveStack().size > 0) {
    uow.computeChangeSets();
    for (const cs of uow.getChangeSets() as ChangeSet<object>[]) {
      const g = groupOf(cs.meta);
      const payload = cs.payload as Record<string, unknown>;
      const values = cs.entity as Record<string, unknown>;
      if (cs.type === ChangeSetType.CREATE) g.creates.push({ values, has: (p) => p.name in payload || !!p.primary });
      else if (cs.type === ChangeSetType.UPDATE || cs.type === ChangeSetType.UPDATE_EARLY)
        g.updates.push({ pk: cs.getPrimaryKey(), values, has: (p) => p.name in payload && !p.primary });
      else g.deletes.push(cs);
    }
  }
  const metadata = em.getMetadata();
  for (const { entity, rows } of changed) {
    if (rows.length === 0) continue;
    const meta = metadata.get(entity.meta.className);
    const pk = meta.primaryKeys[0]!;
    for (const { previous, next } of rows) {
      const update = changedColumns(em, meta, previous, next);
      if (update) groupOf(meta).updates.push({ pk: (next as Record<string, unknown>)[pk], values: update.values, has: update.has });
    }
  }
  for (const { entity, rows } of inserts) {
    if (rows.length === 0) continue;
    const g = groupOf(metadata.get(entity.meta.className));
    for (const row of rows) {
      const values = row as Record<string, unknown>;
      g.creates.push({ values, has: (p) => values[p.name] !== undefined || !!p.primary });
    }
  }
  const platform = em.getPlatform();
  const parts: StatementPart[] = [];
  let n = 0;
  for (const { meta, creates, updates, deletes } of groups.values()) {
    if (meta.primaryKeys.length !== 1) throw new Error(`${meta.className}: a commit statement needs a single-column primary key`);
    const pk = meta.properties[meta.primaryKeys[0]! as never] as EntityProperty;
    const table = `"${meta.tableName}"`;
    const value = (values: Record<string, unknown>, prop: EntityProperty) => dbValue(prop, values[prop.name], platform);
    const before: string[] = [];
    if (deletes.length > 0) {
      const name = `${prefix}${n++}`;
      before.push(name);
      parts.push({
        name,
        sql: `delete from ${table} where ${col(pk)} = any(?::${cast(pk)}[]) and exists (select 1 from held) returning 1`,
        params: [arrayLiteral(deletes.map((cs) => dbValue(pk, cs.getPrimaryKey(), platform)))],
      });
    }
    for (const [props, sets] of byKeys(meta, updates)) {
      const name = `${prefix}${n++}`;
      before.push(name);
      const all = [pk, ...props];
      const rows = unnestRows(
        all.map(cast),
        sets.map((u) => [dbValue(pk, u.pk, platform), ...props.map((p) => value(u.values, p))]),
      );
      parts.push({
        name,
        sql: `update ${table} as t set ${props.map((p) => `${col(p)} = v.${col(p)}`).join(", ")}
          from ${rows.sql} as v(${all.map(col).join(", ")})
          where t.${col(pk)} = v.${col(pk)} and exists (select 1 from held) returning 1`,
        params: rows.params,
      });
    }
    const after = before.map((b) => ` and (select count(*) from ${b}) >= 0`).join("");
    for (const [props, rowsOf] of byKeys(meta, creates)) {
      const rows = unnestRows(
        props.map(cast),
        rowsOf.map((r) => props.map((p) => value(r.values, p))),
      );
      parts.push({
        name: `${prefix}${n++}`,
        sql: `insert into ${table} (${props.map(col).join(", ")}) select * from ${rows.sql} v
          where exists (select 1 from held)${after}`,
        params: rows.params,
      });
    }
  }
  return parts;
}

/**
 * The change set of a stored row's new version, as the unit of work computes it (`ChangeSetComputer.computePayload`:
 * the entity's snapshot generator on both versions, then its comparator), without merging the committed version into
 * the unit of work and assigning the new one: that merge and assign, per row, were the largest part of a cancel's
 * commit CPU when it renumbered a long waitlist. Null when nothing changed.
 */
function changedColumns(
  em: EntityManager,
  meta: EntityMetadata,
  previous: object,
  next: object,
): { values: Record<string, unknown>; has(prop: EntityProperty): boolean } | null {
  const comparator = em.getComparator();
  const snapshot = comparator.getSnapshotGenerator<object>(meta.className);
  const payload = comparator.diffEntities<object>(meta.className, snapshot(previous), snapshot(next)) as Record<string, unknown>;
  let any = false;
  for (const _ in payload) {
    any = true;
    break;
  }
  return any ? { values: next as Record<string, unknown>, has: (p) => p.name in payload && !p.primary } : null;
}

/**
 * Rows grouped by the properties they write (in the metadata's order), so each group is one statement; groups in
 * order of first appearance. A row is matched against the groups' column masks, so a row like one before it (most
 * rows of a commit) allocates nothing: no property list and key text per row.
 */
function byKeys<R extends { has(prop: EntityProperty): boolean }>(meta: EntityMetadata, rows: readonly R[]): Map<EntityProperty[], R[]> {
  const columns = meta.props.filter((p) => p.persist !== false && p.fieldNames?.length === 1);
  const groups: { mask: boolean[]; props: EntityProperty[]; rows: R[] }[] = [];
  rows: for (const r of rows) {
    for (const g of groups) {
      let same = true;
      for (let i = 0; same && i < columns.length; i++) same = r.has(columns[i]!) === g.mask[i];
      if (same) {
        g.rows.push(r);
        continue rows;
      }
    }
    const mask = columns.map((p) => r.has(p));
    groups.push({ mask, props: columns.filter((_, i) => mask[i]), rows: [r] });
  }
  return new Map(groups.map((g) => [g.props, g.rows]));
}

const col = (p: EntityProperty) => `"${p.fieldNames[0]}"`;
/**
 * Each column's array cast to the column's base type, so the rows read the same in an insert and in a join.
 * Without the length: a cast to `varchar(16)` would silently cut a longer value, where writing it to the column
 * refuses it (as the flush did).
 */
const cast = (p: EntityProperty) => p.columnTypes[0]!.replace(/\(.*\)$/, "");

/** A property's value as the database takes it (the entity's own type conversion; JSON as text). */
function dbValue(prop: EntityProperty, value: unknown, platform: ReturnType<EntityManager["getPlatform"]>): unknown {
  if (value === undefined || value === null) return null;
  if (prop.customType instanceof JsonType) return JSON.stringify(value);
  return prop.customType ? prop.customType.convertToDatabaseValue(value, platform, { mode: "query-data" }) : value;
}
