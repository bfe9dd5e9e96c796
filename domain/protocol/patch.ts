/**
 * Room deltas are patches between two projections of a room's state: a client that applies every
 * patch in sequence order holds exactly the projection the server holds. Objects are diffed key by
 * key (so a record keyed by id changes one entry at a time); arrays and scalars are replaced whole.
 */

import { equalJson } from "../equal.js";

/** One change: set the value at `path`, or delete it. */
export type PatchOp = { op: "set"; path: string[]; value: unknown } | { op: "del"; path: string[] };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The operations that turn `before` into `after`. Empty when they are equal. */
export function diff(before: unknown, after: unknown, path: string[] = [], out: PatchOp[] = []): PatchOp[] {
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before)) if (!(key in after)) out.push({ op: "del", path: [...path, key] });
    for (const [key, value] of Object.entries(after)) {
      if (!(key in before)) out.push({ op: "set", path: [...path, key], value });
      else diff(before[key], value, [...path, key], out);
    }
    return out;
  }
  if (!equalJson(before, after)) out.push({ op: "set", path, value: after });
  return out;
}

/** Applies operations to a copy of `target` (structural sharing: untouched branches are reused). */
export function applyPatch<T>(target: T, ops: readonly PatchOp[]): T {
  let root = target as unknown;
  for (const op of ops) root = applyOne(root, op.path, 0, op);
  return root as T;
}

function applyOne(node: unknown, path: string[], i: number, op: PatchOp): unknown {
  if (i === path.length) return op.op === "set" ? op.value : undefined;
  const key = path[i]!;
  const obj: Record<string, unknown> = isObject(node) ? { ...node } : {};
  if (op.op === "del" && i === path.length - 1) {
    delete obj[key];
    return obj;
  }
  obj[key] = applyOne(obj[key], path, i + 1, op);
  return obj;
}

export type { Json };
