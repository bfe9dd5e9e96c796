/**
 * A room view described as named sections, so a delta can be built from what a change touched
 * (O(change)) instead of projecting and diffing the whole view (O(view)). The ops are the same
 * `diff` would produce between the two whole views, so clients apply them unchanged.
 */
import { diff, type PatchOp } from "../protocol/patch.js";

/** One top-level key of a view: a value projected whole, or a record whose entries are projected one by one. */
export type Section<S> =
  | { kind: "value"; project(state: S, now: number): unknown; /** Changes with the clock: compared on every publish. */ timed: boolean }
  | {
      kind: "record";
      all(state: S): Record<string, unknown>;
      /** One entry; undefined when absent. */ entry(state: S, key: string): unknown;
    };

/** A view's sections by key, in the order the view lists them. */
export type ViewSections<S> = Readonly<Record<string, Section<S>>>;

/**
 * What a change touched, in view terms: sections replaced whole (`parts`) and entries of record
 * sections (`entries`, by section then key). `"all"` when the room cannot say.
 * @example touched(["kpis"], { schedule: [sessionId] })
 */
export type ViewChange = "all" | { readonly parts: readonly string[]; readonly entries: Readonly<Record<string, readonly string[]>> };

/** Nothing a view shows changed (timed sections are still compared). */
export const Untouched: ViewChange = { parts: [], entries: {} };

export function touched(parts: readonly string[], entries: Readonly<Record<string, readonly string[]>> = {}): ViewChange {
  return { parts, entries };
}

/** Everything either change touched. */
export function mergeChanges(a: ViewChange, b: ViewChange): ViewChange {
  if (a === "all" || b === "all") return "all";
  if (a === Untouched) return b;
  if (b === Untouched) return a;
  const entries: Record<string, readonly string[]> = { ...a.entries };
  for (const [k, keys] of Object.entries(b.entries)) entries[k] = [...(entries[k] ?? []), ...keys];
  return { parts: [...a.parts, ...b.parts], entries };
}

export function valueSection<S>(project: (state: S, now: number) => unknown, opts: { timed?: boolean } = {}): Section<S> {
  return { kind: "value", project, timed: opts.timed ?? false };
}

export function recordSection<S>(all: (state: S) => Record<string, unknown>, entry: (state: S, key: string) => unknown): Section<S> {
  return { kind: "record", all, entry };
}

/** The whole view of `state` at `now`. */
export function projectSections<S>(view: ViewSections<S>, state: S, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(view)) out[key] = s.kind === "value" ? s.project(state, now) : s.all(state);
  return out;
}

/**
 * The ops that turn the view of `before` (at `beforeAt`) into the view of `after` (at `afterAt`), looking
 * only at what `change` touched and at timed sections. Equal to `diff` of the two whole views when
 * `change` names everything that differs between the states.
 */
export function patchSections<S>(
  view: ViewSections<S>,
  before: S,
  beforeAt: number,
  after: S,
  afterAt: number,
  change: ViewChange,
): PatchOp[] {
  const out: PatchOp[] = [];
  const parts = change === "all" ? null : new Set(change.parts);
  for (const [key, s] of Object.entries(view)) {
    if (s.kind === "value") {
      if (parts === null || s.timed || parts.has(key)) diff(s.project(before, beforeAt), s.project(after, afterAt), [key], out);
    } else if (parts === null || parts.has(key)) {
      diff(s.all(before), s.all(after), [key], out);
    } else {
      for (const id of new Set((change as Exclude<ViewChange, "all">).entries[key] ?? [])) {
        const was = s.entry(before, id);
        const now = s.entry(after, id);
        if (now === undefined) {
          if (was !== undefined) out.push({ op: "del", path: [key, id] });
        } else diff(was, now, [key, id], out);
      }
    }
  }
  return out;
}
