/**
 * What the server probe (lib/serverProbe.ts) lets the bench judge after a run: fairness against the order in
 * which commands arrived at the server, and PostgreSQL round trips per commit.
 */
import type { StormAnswer, StormPress } from "../workers/storm.js";
import type { ProbeRecord } from "./serverProbe.js";
import { pct, sorted } from "./stats.js";

export interface Fairness {
  /** Presses the probe saw arrive (each should, once). */
  arrived: number;
  /** Bookings that went to a member who arrived after the class's first `capacity` arrivals. */
  outOfOrder: number;
  /** Classes with at least one booking out of order. */
  classes: number;
  /** The latest arrival rank (1-based, within its class) that got a booking; `capacity` when fair and full. */
  worstRank: number;
}

/**
 * First come, first served at the server: in each class, the bookings should go to the first `capacity`
 * presses in arrival order (when every member is entitled, as in the bench). Counts the bookings that did not.
 */
export function fairness(presses: StormPress[], answers: StormAnswer[], probe: ProbeRecord, capacity: number): Fairness {
  const rank = new Map<string, number>();
  probe.arrivals.ids.forEach((id, i) => {
    if (!rank.has(id)) rank.set(id, i);
  });
  const booked = new Set(answers.filter((a) => a.ok).map((a) => `${a.userId}/${a.sessionId}`));
  const bySession = new Map<string, StormPress[]>();
  for (const p of presses) bySession.set(p.sessionId, [...(bySession.get(p.sessionId) ?? []), p]);
  let outOfOrder = 0;
  let classes = 0;
  let worstRank = 0;
  for (const group of bySession.values()) {
    // A press that never reached the server ranks last; it cannot have been booked fairly or not.
    const order = [...group].sort((a, b) => (rank.get(a.commandId) ?? Infinity) - (rank.get(b.commandId) ?? Infinity));
    let late = 0;
    order.forEach((p, i) => {
      if (!booked.has(`${p.userId}/${p.sessionId}`)) return;
      worstRank = Math.max(worstRank, i + 1);
      if (i >= capacity) late += 1;
    });
    outOfOrder += late;
    if (late) classes += 1;
  }
  const mine = new Set(presses.map((p) => p.commandId));
  return { arrived: [...rank.keys()].filter((id) => mine.has(id)).length, outOfOrder, classes, worstRank };
}

export interface RoundTrips {
  commits: number;
  rolledBack: number;
  /** Per committed transaction, BEGIN and COMMIT included. */
  mean: number;
  p50: number;
  max: number;
  /** Every query call in the window (inside transactions or not) per answer. */
  perAnswer: number;
}

/** Round trips of the transactions that ended in [from, to] (bench clock), and all query calls per answer. */
export function roundTrips(probe: ProbeRecord, from: number, to: number, answers: number): RoundTrips {
  const t = probe.transactions;
  const within = [...t.at.keys()].filter((i) => t.at[i]! >= from && t.at[i]! <= to);
  const committed = within.filter((i) => t.rolledBack[i] === 0).map((i) => t.roundTrips[i]!);
  const asc = sorted(committed);
  return {
    commits: committed.length,
    rolledBack: within.length - committed.length,
    mean: committed.reduce((a, b) => a + b, 0) / committed.length,
    p50: pct(asc, 50),
    max: asc.length ? asc[asc.length - 1]! : NaN,
    perAnswer: probe.queries.filter((q) => q >= from && q <= to).length / answers,
  };
}
