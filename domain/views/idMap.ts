/**
 * An immutable map from id to value whose `set` and `delete` copy a few small nodes, not the whole map:
 * a room's state changes one entry per message, and copying a 500-key record on every booking was the
 * cost that grew with the schedule. Ids hash into a two-level trie of 32 × 32 small buckets.
 */
type Bucket<V> = Readonly<Record<string, V>>;
type Level<V> = readonly (readonly (Bucket<V> | undefined)[] | undefined)[];

const WIDTH = 32;

function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class IdMap<V> {
  private constructor(
    private readonly root: Level<V>,
    /** Number of entries. */
    readonly size: number,
  ) {}

  static empty<V>(): IdMap<V> {
    return new IdMap<V>([], 0);
  }

  static from<V>(record: Readonly<Record<string, V>>): IdMap<V> {
    let map = IdMap.empty<V>();
    for (const [k, v] of Object.entries(record)) map = map.set(k, v);
    return map;
  }

  get(key: string): V | undefined {
    const h = hash(key);
    const bucket = this.root[h % WIDTH]?.[(h >>> 5) % WIDTH];
    return bucket && Object.hasOwn(bucket, key) ? bucket[key] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A map with `key` set to `value` (this one is unchanged). */
  set(key: string, value: V): IdMap<V> {
    return this.with(key, value);
  }

  /** A map without `key` (this one when it has no such key). */
  delete(key: string): IdMap<V> {
    return this.has(key) ? this.with(key, undefined) : this;
  }

  private with(key: string, value: V | undefined): IdMap<V> {
    const h = hash(key);
    const i = h % WIDTH;
    const j = (h >>> 5) % WIDTH;
    const inner = [...(this.root[i] ?? [])];
    const bucket: Record<string, V> = { ...inner[j] };
    const had = Object.hasOwn(bucket, key);
    if (value === undefined) delete bucket[key];
    else bucket[key] = value;
    inner[j] = bucket;
    const root = [...this.root];
    root[i] = inner;
    return new IdMap(root, this.size + (had ? 0 : 1) - (value === undefined && had ? 1 : 0));
  }

  *entries(): IterableIterator<[string, V]> {
    for (const inner of this.root) for (const bucket of inner ?? []) if (bucket) yield* Object.entries(bucket);
  }

  /** Every entry as a plain record with its values ordered by `order` (a snapshot for a watcher; O(n log n)). */
  toRecord(order: (a: V, b: V) => number): Record<string, V> {
    return Object.fromEntries([...this.entries()].sort((a, b) => order(a[1], b[1])));
  }
}
