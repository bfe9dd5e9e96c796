/**
 * An incremental leaderboard: an order-statistic treap over {@link compareKeys}.
 *
 * Every node knows its subtree's size, so a member's place (`rank`), the entry at a place (`slice`)
 * and moving a member after a new score (`update`) all cost O(log n) expected — no array shifts.
 * Node priorities are a hash of the member id (no randomness), so the same entries always make the
 * same tree; the order itself is {@link compareKeys}'s total order, so `update` always gives exactly
 * the order of {@link Ranking.rebuild} over the same entries (a property test proves it). A rebuild
 * sorts once and builds the tree in O(n).
 */
import { compareKeys, type RankKey } from "./scores.js";

interface Node {
  key: RankKey;
  priority: number;
  size: number;
  left: Node | null;
  right: Node | null;
}

const sizeOf = (n: Node | null): number => (n === null ? 0 : n.size);
const resize = (n: Node): Node => {
  n.size = 1 + sizeOf(n.left) + sizeOf(n.right);
  return n;
};

/** FNV-1a over the id, then a murmur finalizer: a well-spread, deterministic heap priority. */
function priorityOf(memberId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) h = Math.imul(h ^ memberId.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Splits into keys ranking above `key` and the rest. */
function split(n: Node | null, key: RankKey): [Node | null, Node | null] {
  if (n === null) return [null, null];
  if (compareKeys(n.key, key) < 0) {
    const [l, r] = split(n.right, key);
    n.right = l;
    return [resize(n), r];
  }
  const [l, r] = split(n.left, key);
  n.left = r;
  return [l, resize(n)];
}

/** Joins two treaps where every key of `a` ranks above every key of `b`. */
function merge(a: Node | null, b: Node | null): Node | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.priority >= b.priority) {
    a.right = merge(a.right, b);
    return resize(a);
  }
  b.left = merge(a, b.left);
  return resize(b);
}

function removeKey(n: Node | null, key: RankKey): Node | null {
  if (n === null) return null;
  const c = compareKeys(key, n.key);
  if (c === 0) return merge(n.left, n.right);
  if (c < 0) n.left = removeKey(n.left, key);
  else n.right = removeKey(n.right, key);
  return resize(n);
}

export class Ranking {
  private root: Node | null = null;
  private readonly byMember = new Map<string, RankKey>();

  /** A ranking of `keys` sorted once (one key per member; a later duplicate replaces an earlier one). */
  static rebuild(keys: Iterable<RankKey>): Ranking {
    const ranking = new Ranking();
    for (const key of keys) ranking.byMember.set(key.memberId, key);
    const sorted = [...ranking.byMember.values()].sort(compareKeys);
    // Cartesian-tree build over the sorted keys: O(n) with a stack of the right spine.
    const spine: Node[] = [];
    for (const key of sorted) {
      const node: Node = { key, priority: priorityOf(key.memberId), size: 1, left: null, right: null };
      let last: Node | null = null;
      while (spine.length > 0 && spine[spine.length - 1]!.priority < node.priority) last = spine.pop()!;
      node.left = last;
      if (spine.length > 0) spine[spine.length - 1]!.right = node;
      spine.push(node);
    }
    ranking.root = spine[0] ?? null;
    // Sizes bottom-up (iterative post-order: the tree may be deep on unlucky data, the call stack is not).
    const stack: Node[] = ranking.root ? [ranking.root] : [];
    const post: Node[] = [];
    while (stack.length > 0) {
      const n = stack.pop()!;
      post.push(n);
      if (n.left) stack.push(n.left);
      if (n.right) stack.push(n.right);
    }
    for (let i = post.length - 1; i >= 0; i--) resize(post[i]!);
    return ranking;
  }

  get size(): number {
    return sizeOf(this.root);
  }

  /** Adds the member's key, or moves the member to where the new key belongs. O(log n). */
  update(key: RankKey): void {
    this.remove(key.memberId);
    const node: Node = { key, priority: priorityOf(key.memberId), size: 1, left: null, right: null };
    const [above, below] = split(this.root, key);
    this.root = merge(merge(above, node), below);
    this.byMember.set(key.memberId, key);
  }

  /** Takes the member off the board; false when they were not on it. O(log n). */
  remove(memberId: string): boolean {
    const old = this.byMember.get(memberId);
    if (old === undefined) return false;
    this.root = removeKey(this.root, old);
    this.byMember.delete(memberId);
    return true;
  }

  /** 1-based place of the member, or null. O(log n). */
  rank(memberId: string): number | null {
    const key = this.byMember.get(memberId);
    if (key === undefined) return null;
    let above = 0;
    for (let n = this.root; n !== null;) {
      const c = compareKeys(key, n.key);
      if (c === 0) return above + sizeOf(n.left) + 1;
      if (c < 0) n = n.left;
      else {
        above += sizeOf(n.left) + 1;
        n = n.right;
      }
    }
    return null;
  }

  /** The key at 0-based place `index`, or undefined. O(log n). */
  at(index: number): RankKey | undefined {
    let i = index;
    for (let n = this.root; n !== null;) {
      const left = sizeOf(n.left);
      if (i < left) n = n.left;
      else if (i === left) return n.key;
      else {
        i -= left + 1;
        n = n.right;
      }
    }
    return undefined;
  }

  /** Keys from place `from` (0-based), at most `count` of them, best first. O(log n + count). */
  slice(from = 0, count = this.size): readonly RankKey[] {
    const out: RankKey[] = [];
    const start = Math.max(0, from);
    const end = Math.min(this.size, start + Math.max(0, count));
    if (start >= end) return out;
    // Descend to the first wanted key, keeping the ancestors still to visit; then walk in order.
    const stack: Node[] = [];
    let i = start;
    for (let n = this.root; n !== null;) {
      const left = sizeOf(n.left);
      if (i < left) {
        stack.push(n);
        n = n.left;
      } else if (i === left) {
        stack.push(n);
        break;
      } else {
        i -= left + 1;
        n = n.right;
      }
    }
    while (out.length < end - start && stack.length > 0) {
      const n = stack.pop()!;
      out.push(n.key);
      for (let m = n.right; m !== null; m = m.left) stack.push(m);
    }
    return out;
  }

  /** Member ids best first. */
  order(): string[] {
    return this.slice().map((k) => k.memberId);
  }
}
