import type { EntityManager, EntityMetadata, EntitySchema } from "@mikro-orm/core";

type Mapper = (row: Record<string, unknown>) => Record<string, unknown>;

const mappers = new WeakMap<object, Mapper>();

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

function compile(meta: EntityMetadata<object>, em: EntityManager): Mapper {
  const platform = em.getPlatform();
  const props = meta.props.map((p) => {
    if (p.kind !== "scalar" || p.fieldNames?.length !== 1)
      throw new Error(`plainRow: ${meta.className}.${p.name} is not a one-column scalar`);
    const type = p.customType;
    // JSON columns arrive parsed inside row_to_json (PostgreSQL converts them itself); instants need the type's conversion.
    const convert = type && type.constructor.name !== "JsonType" ? (v: unknown) => type.convertToJSValue(v, platform) : null;
    return { name: p.name as string, field: p.fieldNames[0]!, convert };
  });
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

const convert = (fn: ((v: unknown) => unknown) | null, v: unknown) => (fn && v !== null ? fn(v) : v);
