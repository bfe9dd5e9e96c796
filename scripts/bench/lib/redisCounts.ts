import type { ProbeRecord } from "./serverProbe.js";

/** Redis commands sent and pub/sub messages received by some servers within a time window, by kind. */
export interface RedisCounts {
  sent: Map<string, number>;
  heard: Map<string, number>;
  sentTotal: number;
  heardTotal: number;
  /** Node-to-node requests (a forwarded command or join is one). */
  forwards: number;
}

/** Sums the probes' Redis records of [from, to] (every node of a cluster run together). */
export function redisCounts(probes: readonly ProbeRecord[], from: number, to: number): RedisCounts {
  const sent = new Map<string, number>();
  const heard = new Map<string, number>();
  const add = (into: Map<string, number>, log: { at: number[]; name: number[] }, names: string[]) => {
    for (let i = 0; i < log.at.length; i++) {
      const t = log.at[i]!;
      if (t < from || t > to) continue;
      const name = names[log.name[i]!]!;
      into.set(name, (into.get(name) ?? 0) + 1);
    }
  };
  for (const p of probes) {
    if (!p.redis) continue;
    add(sent, p.redis.sent, p.redis.names);
    add(heard, p.redis.heard, p.redis.names);
  }
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return { sent, heard, sentTotal: total(sent), heardTotal: total(heard), forwards: sent.get("PUBLISH spotter:node:*:requests") ?? 0 };
}

/** One line per kind, most first, as counts per answer. */
export function describeRedis(c: RedisCounts, answers: number): string {
  const line = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}: ${n} (${(n / answers).toFixed(2)}/answer)`)
      .join("; ") || "none";
  return `sent ${c.sentTotal} (${(c.sentTotal / answers).toFixed(2)}/answer) — ${line(c.sent)}\n    heard ${c.heardTotal} — ${line(c.heard)}`;
}
