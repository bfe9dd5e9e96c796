/** Booking-storm load generator: one socket per member; every member presses "book" once at go + offset. */
import { serve } from "../lib/rpc.js";
import { clock } from "../lib/seeded.js";
import { ask, closeAll, command, connect, connectMany, type AckBody, type Socket } from "../lib/sockets.js";

export interface StormPress {
  userId: string;
  sessionId: string;
  commandId: string;
  offsetMs: number;
}

export interface StormAnswer {
  userId: string;
  sessionId: string;
  sentAt: number;
  ackAt: number;
  ok: boolean;
  code: string | null;
  bookingId: string | null;
}

let sockets: Socket[] = [];
let presses: StormPress[] = [];

/**
 * Every member opens their class first (`room:join`, then leaves): the answer's owner hint names the node that runs the
 * room, and a member connected elsewhere reconnects there, as a client may to save a hop. Answers how many moved.
 */
async function followHints(a: { url: string; secret: string }): Promise<number> {
  let moved = 0;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < presses.length; i = next++) {
      const room = `class:${presses[i]!.sessionId}`;
      const joined = await ask(sockets[i]!, "room:join", { room });
      if (!joined.ok) throw new Error(`join ${room} failed: ${JSON.stringify(joined.error)}`);
      await ask(sockets[i]!, "room:leave", { room });
      const owner = (joined.result as { owner?: { url?: string } } | undefined)?.owner?.url;
      if (!owner || owner === a.url) continue;
      sockets[i]!.close();
      sockets[i] = await connect(owner, a.secret, presses[i]!.userId);
      moved += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(50, presses.length) }, lane));
  return moved;
}

serve({
  async setup(a: { url: string; secret: string; presses: StormPress[]; followHints?: boolean }) {
    presses = a.presses;
    const started = clock();
    sockets = await connectMany(
      a.url,
      a.secret,
      presses.map((p) => p.userId),
    );
    const moved = a.followHints ? await followHints(a) : 0;
    return { connected: sockets.length, connectMs: clock() - started, moved };
  },

  /**
   * Kept light so the generator never limits the server: one timer walks the presses in send order (not
   * one timer per press), and one sweep gives up on answers older than 3 min (not one timer per command).
   */
  fire(a: { go: number }): Promise<StormAnswer[]> {
    const order = presses.map((_, i) => i).sort((x, y) => presses[x]!.offsetMs - presses[y]!.offsetMs);
    const out = new Array<StormAnswer>(presses.length);
    const sentAt = new Float64Array(presses.length).fill(NaN);
    let left = presses.length;
    return new Promise((resolve) => {
      if (left === 0) return resolve(out);
      const answer = (i: number, ok: boolean, code: string | null, bookingId: string | null) => {
        if (out[i]) return;
        const p = presses[i]!;
        out[i] = { userId: p.userId, sessionId: p.sessionId, sentAt: sentAt[i]!, ackAt: clock(), ok, code, bookingId };
        if (--left === 0) {
          clearInterval(sweep);
          resolve(out);
        }
      };
      // Patient clients (3 min): a slow answer is measured as slow, not counted as lost.
      const sweep = setInterval(() => {
        const now = clock();
        sentAt.forEach((t, i) => void (now - t > 180_000 && answer(i, false, "TIMEOUT", null)));
      }, 1_000);
      let next = 0;
      const tick = () => {
        for (let now = clock(); next < order.length && a.go + presses[order[next]!]!.offsetMs <= now; next++) {
          const i = order[next]!;
          const p = presses[i]!;
          sentAt[i] = clock();
          sockets[i]!.emit(
            "command",
            command(p.commandId, `class:${p.sessionId}`, "class:book", { sessionId: p.sessionId }),
            (ack: AckBody) => {
              const result = ack?.result as { bookingId?: string } | undefined;
              answer(i, ack?.ok === true, ack?.ok ? null : (ack?.error?.code ?? "?"), result?.bookingId ?? null);
            },
          );
        }
        if (next < order.length) setTimeout(tick, Math.max(0, a.go + presses[order[next]!]!.offsetMs - clock()));
      };
      setTimeout(tick, Math.max(0, a.go - clock()));
    });
  },

  close() {
    const dropped = closeAll(sockets);
    sockets = [];
    return { dropped };
  },
});
