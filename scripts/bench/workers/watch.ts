/**
 * Fan-out watchers: many sockets join one class room and note when each booking count first
 * reaches them. Latency of booking k = first receipt of a delta with counts.booked >= k − its send time.
 * Sockets are bare Engine.IO clients (`lib/rawSockets.ts`), so the generator costs a few µs per delta.
 */
import { serve } from "../lib/rpc.js";
import { rawConnectMany, type RawSocket } from "../lib/rawSockets.js";
import { clock } from "../lib/seeded.js";

let sockets: RawSocket[] = [];
/** Per socket: receipt time of the first delta showing booked >= k, at index k. */
let seen: Float64Array[] = [];
let dropped = 0;
let gaps = 0;
/** Delta frames received, all sockets (each is at most one socket write on the server, whatever the load). */
let frames = 0;
let joinFailures: string[] = [];
let resets = 0;
const reasons = new Map<string, number>();

serve({
  async setup(a: { url: string; secret: string; userIds: string[]; room: string; maxBookings: number }) {
    const started = clock();
    joinFailures = [];
    sockets = await rawConnectMany(a.url, a.secret, a.userIds);
    const connectMs = clock() - started;
    seen = sockets.map(() => new Float64Array(a.maxBookings + 2).fill(NaN));
    // Joins go 50 at a time, as members opening a page over a few seconds (a herd of cold joins is its own problem).
    let next = 0;
    const joinOne = async (s: RawSocket, i: number) => {
      const mine = seen[i]!;
      let last = -1;
      let seq = -1;
      s.onDelta = (d) => {
        const t = clock();
        frames += 1;
        if (seq >= 0 && d.seq !== seq + 1) gaps += 1;
        seq = d.seq;
        const booked = d.booked;
        if (booked === null || last < 0) return;
        for (let k = last + 1; k <= Math.min(booked, mine.length - 1); k++) mine[k] = t;
        if (booked > last) last = booked;
      };
      let gone: (reason: string) => void = () => {};
      const lost = new Promise<{ ok: false; error: { code: string; message: string } }>(
        (r) => (gone = () => r({ ok: false, error: { code: "DISCONNECTED", message: "socket dropped" } })),
      );
      s.onDisconnect = (reason: string) => {
        dropped += 1;
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        gone(reason);
      };
      s.onReset = () => (resets += 1);
      // A socket the server dropped (missed pings while this process was starved) never answers: don't wait for it.
      const ack = s.connected ? await Promise.race([s.ask("room:join", { room: a.room }, 60_000), lost]) : await lost;
      if (!ack.ok) {
        joinFailures.push(ack.error?.code ?? "?");
        return;
      }
      const r = ack.result as { seq: number; snapshot: { counts: { booked: number } } };
      last = r.snapshot.counts.booked;
      seq = r.seq;
    };
    const lane = async () => {
      for (let i = next++; i < sockets.length; i = next++) await joinOne(sockets[i]!, i);
    };
    await Promise.all(Array.from({ length: Math.min(50, sockets.length) }, lane));
    return { joined: sockets.length - joinFailures.length, joinFailures, connectMs, joinMs: clock() - started - connectMs };
  },

  /** How many sockets have not yet seen the booking count reach `count`. */
  behind(a: { count: number }) {
    return seen.filter((mine) => a.count < mine.length && Number.isNaN(mine[a.count]!)).length;
  },

  /** `sent[k]` is when the command that made the count k was sent (NaN = none). */
  latencies(a: { sent: Float64Array }) {
    const out: number[] = [];
    let missing = 0;
    const first = new Float64Array(a.sent.length).fill(Infinity);
    const last = new Float64Array(a.sent.length).fill(-Infinity);
    for (const mine of seen) {
      for (let k = 1; k < first.length && k < mine.length; k++) {
        if (Number.isNaN(mine[k]!)) continue;
        first[k] = Math.min(first[k]!, mine[k]!);
        last[k] = Math.max(last[k]!, mine[k]!);
      }
      for (let k = 1; k < a.sent.length && k < mine.length; k++) {
        if (Number.isNaN(a.sent[k]!)) continue;
        if (Number.isNaN(mine[k]!)) missing += 1;
        else out.push(mine[k]! - a.sent[k]!);
      }
    }
    return { latencies: Float64Array.from(out), first, last, missing, dropped, gaps, resets, frames, reasons: [...reasons.keys()] };
  },

  close() {
    const before = sockets.filter((s) => !s.connected).length;
    for (const s of sockets) s.close();
    sockets = [];
    seen = [];
    return { dropped: before };
  },
});
