import type { EntityManager, EntityMetadata, EntitySchema } from "@mikro-orm/core";

type Mapper = (row: Record<string, unknown>) => Record<string, unknown>;

const mappers = new WeakMap<object, Mapper>();
type TupleMapper = { columns: string[]; map: (row: readonly unknown[]) => Record<string, unknown> };
const tupleMappers = new WeakMap<object, TupleMapper>();

/**
 * Maps a row read as JSON (`row_to_json`: column names, instants as strings) to the entity's plain
 * domain shape, through the entity's own metadata (column → property, each property's type), without
 * `em.map`: that merges every row into the identity map and was half the CPU of a cold class load.
 * Scalar properties only (every entity a room loads); equal to `{ ...em.map(entity, row) }`
 * (`test/server/classSnapshot.test.ts` compares them on every kind of row).
 */
export function plainRow<T extends object>(em: EntityManager, entity: EntitySchema<T, never>, row: unknown): T {
  let map = mappers.get(entity);
  if (!map) {
    map = compile(em.getMetadata().get(entity.meta.className) as EntityMetadata<object>, em);
    mappers.set(entity, map);
  }
  return map(row as Record<string, unknown>) as T;
}

/**
 * The entity's columns in the order {@link plainTuple} reads them: `json_build_array(x.<column>, …)` reads a row as an
 * array, without every column's name in every row (a 200-booking roster read as objects was mostly keys).
 */
export function tupleColumns<T extends object>(em: EntityManager, entity: EntitySchema<T, never>): readonly string[] {
  return tupleMapper(em, entity).columns;
}

/** Maps a row read as an array of its {@link tupleColumns} (values as `row_to_json` gives them), as {@link plainRow} does. */
export function plainTuple<T extends object>(em: EntityManager, entity: EntitySchema<T, never>, row: unknown): T {
  return tupleMapper(em, entity).map(row as readonly unknown[]) as T;
}

function tupleMapper<T extends object>(em: EntityManager, entity: EntitySchema<T, never>): TupleMapper {
  let mapper = tupleMappers.get(entity);
  if (!mapper) {
    const props = properties(em.getMetadata().get(entity.meta.className) as EntityMetadata<object>, em);
    mapper = {
      columns: props.map((p) => p.field),
      map: (row) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < props.length; i++) out[props[i]!.name] = convert(props[i]!.convert, row[i]);
        return out;
      },
    };
    tupleMappers.set(entity, mapper);
  }
  return mapper;
}

function compile(meta: EntityMetadata<object>, em: EntityManager): Mapper {
  const props = properties(meta, em);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const p of props) {
      if (!(p.field in row)) continue;
      const v = row[p.field];
      out[p.name] = convert(p.convert, v);
    }
    return out;
  };
}

/** Each property of the entity: its name, its column, and the conversion its type needs from JSON. */
function properties(meta: EntityMetadata<object>, em: EntityManager) {
  const platform = em.getPlatform();
  return meta.props.map((p) => {
    if (p.kind !== "scalar" || p.fieldNames?.length !== 1)
      throw new Error(`plainRow: ${meta.className}.${p.name} is not a one-column scalar`);
    const type = p.customType;
    // JSON columns arrive parsed inside row_to_json (PostgreSQL converts them itself); instants need the type's conversion.
    const convert = type && type.constructor.name !== "JsonType" ? (v: unknown) => type.convertToJSValue(v, platform) : null;
    return { name: p.name as string, field: p.fieldNames[0]!, convert };
  });
}

const convert = (fn: ((v: unknown) => unknown) | null, v: unknown) => (fn && v !== null ? fn(v) : v);
