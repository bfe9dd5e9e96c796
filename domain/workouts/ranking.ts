/**
 * An incremental leaderboard: entries kept sorted by {@link compareKeys} in one array.
 *
 * Finding a member's place is a binary search (O(log n)); moving it is one `splice` (a memmove,
 * O(n) but a few microseconds at 50,000 entries — see docs/benchmarks.md). `update` always gives
 * exactly the order of {@link Ranking.rebuild} over the same entries (a property test proves it).
 */
import { compareKeys, type RankKey } from "./scores.js";

export class Ranking {
  private readonly sorted: RankKey[] = [];
  private readonly byMember = new Map<string, RankKey>();

  /** A ranking of `keys` sorted once (one key per member; a later duplicate replaces an earlier one). */
  static rebuild(keys: Iterable<RankKey>): Ranking {
    const ranking = new Ranking();
    for (const key of keys) ranking.byMember.set(key.memberId, key);
    ranking.sorted.push(...ranking.byMember.values());
    ranking.sorted.sort(compareKeys);
    return ranking;
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Adds the member's key, or moves the member to where the new key belongs. */
  update(key: RankKey): void {
    this.remove(key.memberId);
    this.sorted.splice(this.lowerBound(key), 0, key);
    this.byMember.set(key.memberId, key);
  }

  /** Takes the member off the board; false when they were not on it. */
  remove(memberId: string): boolean {
    const old = this.byMember.get(memberId);
    if (old === undefined) return false;
    // Keys are unique per member, so the lower bound is exactly its index.
    this.sorted.splice(this.lowerBound(old), 1);
    this.byMember.delete(memberId);
    return true;
  }

  /** 1-based place of the member, or null. */
  rank(memberId: string): number | null {
    const key = this.byMember.get(memberId);
    return key === undefined ? null : this.lowerBound(key) + 1;
  }

  /** Keys from place `from` (0-based), at most `count` of them, best first. */
  slice(from = 0, count = this.sorted.length): readonly RankKey[] {
    return this.sorted.slice(from, from + count);
  }

  /** Member ids best first. */
  order(): string[] {
    return this.sorted.map((k) => k.memberId);
  }

  private lowerBound(key: RankKey): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.sorted[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
