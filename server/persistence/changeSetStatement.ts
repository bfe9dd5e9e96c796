/**
 * A unit of work's changes as parts of ONE statement. MikroORM computes the change sets (what was created,
 * which properties of which merged entity changed, what was removed); instead of its flush — a transaction and
 * a statement or more per entity type, and most of a room commit's CPU — each group of change sets becomes one
 * data-modifying CTE of the room's commit statement (`commitRecords`), written only if the room's version held.
 * Rows go as one array per column (`server/db/statementRows.ts`), so the statement's text does not grow with the batch.
 * The cost is O(changes): the fork holds only the entities the commit merged, created or removed.
 */
import {
  ChangeSetType,
  JsonType,
  ReferenceKind,
  Type,
  type ChangeSet,
  type EntityManager,
  type EntityMetadata,
  type EntityProperty,
  type Platform,
} from "@mikro-orm/core";
import { EpochMsType } from "../db/EpochMsType.js";
import { arrayLiteral } from "../db/statementRows.js";

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

/**
 * A row to write: its values, whether it is new, and its change set's payload if it has one (a created entity's or an
 * updated one's). Data, not a closure per row (see {@link writes}).
 */
type Row = { values: Record<string, unknown>; create: boolean; payload: Record<string, unknown> | null };
type Update = Row & { pk: unknown };

/**
 * Whether `row` writes `prop`: a new row its key and what its payload holds (plain data: every defined property);
 * an update what changed, never its key.
 */
function writes(row: Row, prop: EntityProperty): boolean {
  if (!row.create) return prop.name in row.payload! && !prop.primary;
  return (row.payload ? prop.name in row.payload : row.values[prop.name] !== undefined) || !!prop.primary;
}
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
  if (unitOfWorkUsed(em)) {
    uow.computeChangeSets();
    for (const cs of uow.getChangeSets() as ChangeSet<object>[]) {
      const g = groupOf(cs.meta);
      const payload = cs.payload as Record<string, unknown>;
      const values = cs.entity as Record<string, unknown>;
      if (cs.type === ChangeSetType.CREATE) g.creates.push({ values, create: true, payload });
      else if (cs.type === ChangeSetType.UPDATE || cs.type === ChangeSetType.UPDATE_EARLY)
        g.updates.push({ pk: cs.getPrimaryKey(), values, create: false, payload });
      else g.deletes.push(cs);
    }
  }
  const metadata = em.getMetadata();
  for (const { entity, rows } of changed) {
    if (rows.length === 0) continue;
    const meta = metadata.get(entity.meta.className);
    const pk = meta.primaryKeys[0]!;
    for (const { previous, next } of rows) {
      const payload = changedColumns(em, meta, previous, next);
      const values = next as Record<string, unknown>;
      if (payload) groupOf(meta).updates.push({ pk: values[pk], values, create: false, payload });
    }
  }
  for (const { entity, rows } of inserts) {
    if (rows.length === 0) continue;
    const g = groupOf(metadata.get(entity.meta.className));
    for (const row of rows) g.creates.push({ values: row as Record<string, unknown>, create: true, payload: null });
  }
  const platform = em.getPlatform();
  const parts: StatementPart[] = [];
  let n = 0;
  for (const { meta, creates, updates, deletes } of groups.values()) {
    if (meta.primaryKeys.length !== 1) throw new Error(`${meta.className}: a commit statement needs a single-column primary key`);
    const pk = meta.properties[meta.primaryKeys[0]! as never] as EntityProperty;
    const table = `"${meta.tableName}"`;
    const before: string[] = [];
    if (deletes.length > 0) {
      const name = `${prefix}${n++}`;
      before.push(name);
      const ids = new Array<unknown>(deletes.length);
      for (let i = 0; i < deletes.length; i++) ids[i] = dbValue(pk, deletes[i]!.getPrimaryKey(), platform);
      parts.push({
        name,
        sql: `delete from ${table} where ${col(pk)} = any(?::${cast(pk)}[]) and exists (select 1 from held) returning 1`,
        params: [arrayLiteral(ids)],
      });
    }
    for (const { props, rows } of byKeys(meta, updates)) {
      const name = `${prefix}${n++}`;
      before.push(name);
      const sql = statementText(meta, "update", props, () => {
        const all = [pk, ...props];
        return `update ${table} as t set ${props.map((p) => `${col(p)} = v.${col(p)}`).join(", ")}
          from ${unnestText(all)} as v(${all.map(col).join(", ")})
          where t.${col(pk)} = v.${col(pk)} and exists (select 1 from held) returning 1`;
      });
      const params = new Array<string>(props.length + 1);
      const column = new Array<unknown>(rows.length);
      for (let j = 0; j < rows.length; j++) column[j] = dbValue(pk, rows[j]!.pk, platform);
      params[0] = arrayLiteral(column);
      for (let i = 0; i < props.length; i++) params[i + 1] = columnLiteral(props[i]!, rows, column, platform);
      parts.push({ name, sql, params });
    }
    let after = "";
    for (const b of before) after += ` and (select count(*) from ${b}) >= 0`;
    for (const { props, rows } of byKeys(meta, creates)) {
      const head = statementText(
        meta,
        "insert",
        props,
        () => `insert into ${table} (${props.map(col).join(", ")}) select * from ${unnestText(props)} v
          where exists (select 1 from held)`,
      );
      const params = new Array<string>(props.length);
      const column = new Array<unknown>(rows.length);
      for (let i = 0; i < props.length; i++) params[i] = columnLiteral(props[i]!, rows, column, platform);
      parts.push({ name: `${prefix}${n++}`, sql: head + after, params });
    }
  }
  return parts;
}

/** One column of `rows` as an array literal (`column`: scratch space of `rows.length`). */
function columnLiteral(prop: EntityProperty, rows: readonly Row[], column: unknown[], platform: Platform): string {
  for (let j = 0; j < rows.length; j++) column[j] = dbValue(prop, rows[j]!.values[prop.name], platform);
  return arrayLiteral(column);
}

/** `unnest(?::uuid[], ?::varchar[], …)` of `props`' columns, as `unnestRows` writes it. */
const unnestText = (props: readonly EntityProperty[]) => `unnest(?::${props.map(cast).join("[], ?::")}[])`;

/** Statement texts by entity, kind and written properties: a commit's parts mostly repeat the shapes before them. */
const texts = new WeakMap<EntityMetadata, Map<string, string>>();
function statementText(meta: EntityMetadata, kind: string, props: readonly EntityProperty[], make: () => string): string {
  let byShape = texts.get(meta);
  if (!byShape) texts.set(meta, (byShape = new Map()));
  let key = kind;
  for (const p of props) key += `,${p.name}`;
  let text = byShape.get(key);
  if (text === undefined) {
    text = make();
    // Bounded: an entity has few shapes of change (which columns a command changes), but never let it grow without end.
    if (byShape.size < 256) byShape.set(key, text);
  }
  return text;
}

/** Whether anything went into `em`'s unit of work (an entity managed, persisted or removed) since it was last cleared. */
export function unitOfWorkUsed(em: EntityManager): boolean {
  const uow = em.getUnitOfWork();
  if (uow.getRemoveStack().size > 0 || uow.getPersistStack().size > 0) return true;
  for (const _ of uow.getIdentityMap()) return true;
  return false;
}

/**
 * The change set of a stored row's new version, as the unit of work computes it (`ChangeSetComputer.computePayload`:
 * the entity's snapshot generator on both versions, then its comparator), without merging the committed version into
 * the unit of work and assigning the new one: that merge and assign, per row, were the largest part of a cancel's
 * commit CPU when it renumbered a long waitlist. The payload (the changed properties), or null when nothing changed.
 *
 * For an entity whose snapshot of a property compares as the property itself (see {@link snapshotFree}), the
 * comparator runs on the two versions as they are: the snapshots (a `Date` per instant, each deep-cloned) were most
 * of the cost of a renumbered waitlist's rows, and gave the same payload.
 */
function changedColumns(em: EntityManager, meta: EntityMetadata, previous: object, next: object): Record<string, unknown> | null {
  const comparator = em.getComparator();
  let payload: Record<string, unknown>;
  if (snapshotFree(meta)) payload = comparator.diffEntities<object>(meta.className, previous, next) as Record<string, unknown>;
  else {
    const snapshot = comparator.getSnapshotGenerator<object>(meta.className);
    payload = comparator.diffEntities<object>(meta.className, snapshot(previous), snapshot(next)) as Record<string, unknown>;
  }
  for (const _ in payload) return payload;
  return null;
}

const snapshotFreeMetas = new WeakMap<EntityMetadata, boolean>();

/**
 * Whether the comparator compares every property of `meta` the same on the plain row as on its snapshot: scalars whose
 * type keeps the value as it is (the snapshot holds the value itself, or a deep copy of it), and instants
 * ({@link EpochMsType}: its snapshot is a `Date`, and its `compareValues` compares epoch milliseconds and Dates alike).
 * Anything else (JSON, which snapshots as text; a type converting values; a relation; an embeddable) is not.
 */
function snapshotFree(meta: EntityMetadata): boolean {
  let free = snapshotFreeMetas.get(meta);
  if (free === undefined) {
    free = meta.comparableProps.every((p) => {
      if (p.kind !== ReferenceKind.SCALAR || p.embedded || p.ref || p.getter) return false;
      if (p.customType instanceof EpochMsType) return true;
      if (p.customType) return p.customType.convertToDatabaseValue === Type.prototype.convertToDatabaseValue && !p.customType.compareValues;
      return ["string", "number", "boolean"].includes(p.runtimeType);
    });
    snapshotFreeMetas.set(meta, free);
  }
  return free;
}

/**
 * Rows grouped by the properties they write (in the metadata's order), so each group is one statement; groups in
 * order of first appearance. A row is matched against the groups' column masks, so a row like one before it (most
 * rows of a commit) allocates nothing: no property list and key text per row.
 */
function byKeys<R extends Row>(meta: EntityMetadata, rows: readonly R[]): { props: EntityProperty[]; rows: R[] }[] {
  const columns = columnsOf(meta);
  const groups: { mask: boolean[]; props: EntityProperty[]; rows: R[] }[] = [];
  rows: for (const r of rows) {
    for (const g of groups) {
      let same = true;
      for (let i = 0; same && i < columns.length; i++) same = writes(r, columns[i]!) === g.mask[i];
      if (same) {
        g.rows.push(r);
        continue rows;
      }
    }
    const mask = new Array<boolean>(columns.length);
    const props: EntityProperty[] = [];
    for (let i = 0; i < columns.length; i++) if ((mask[i] = writes(r, columns[i]!))) props.push(columns[i]!);
    groups.push({ mask, props, rows: [r] });
  }
  return groups;
}

const columnsOfMeta = new WeakMap<EntityMetadata, EntityProperty[]>();
/** The properties of `meta` that are one column each, in the metadata's order (computed once per entity). */
function columnsOf(meta: EntityMetadata): EntityProperty[] {
  let columns = columnsOfMeta.get(meta);
  if (!columns) columnsOfMeta.set(meta, (columns = meta.props.filter((p) => p.persist !== false && p.fieldNames?.length === 1)));
  return columns;
}

const col = (p: EntityProperty) => `"${p.fieldNames[0]}"`;
/**
 * Each column's array cast to the column's base type, so the rows read the same in an insert and in a join.
 * Without the length: a cast to `varchar(16)` would silently cut a longer value, where writing it to the column
 * refuses it (as the flush did).
 */
const cast = (p: EntityProperty) => p.columnTypes[0]!.replace(/\(.*\)$/, "");

/** A property's value as the database takes it (the entity's own type conversion; JSON as text). */
function dbValue(prop: EntityProperty, value: unknown, platform: Platform): unknown {
  if (value === undefined || value === null) return null;
  if (prop.customType instanceof JsonType) return JSON.stringify(value);
  return prop.customType ? prop.customType.convertToDatabaseValue(value, platform, { mode: "query-data" }) : value;
}
