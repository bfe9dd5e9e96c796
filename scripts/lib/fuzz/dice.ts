/** The fuzzer's seeded randomness: the same seed gives the same frames on every machine. */
import { mulberry32 } from "../../../server/demo/prng.js";

export class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => "0123456789abcdef"[this.int(0, 15)]).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
  text(length: number, alphabet = "abcXYZ019 _-:./%\\\"'<>{}[]\u00e9\u4e2d\u{1f4aa}"): string {
    const chars = [...alphabet];
    return Array.from({ length }, () => this.pick(chars)).join("");
  }
}

/** A command id as clients make them. */
export function randomLike(d: Dice): string {
  return `fz-${d.int(0, 2 ** 30).toString(36)}-${d.int(0, 2 ** 30).toString(36)}`;
}
