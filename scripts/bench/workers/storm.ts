/** Booking-storm load generator: one socket per member; every member presses "book" once at go + offset. */
import { serve } from "../lib/rpc.js";
import { clock } from "../lib/seeded.js";
import { ask, closeAll, command, connectMany, type Socket } from "../lib/sockets.js";

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

serve({
  async setup(a: { url: string; secret: string; presses: StormPress[] }) {
    presses = a.presses;
    const started = clock();
    sockets = await connectMany(a.url, a.secret, presses.map((p) => p.userId));
    return { connected: sockets.length, connectMs: clock() - started };
  },

  async fire(a: { go: number }): Promise<StormAnswer[]> {
    return Promise.all(
      presses.map(
        (p, i) =>
          new Promise<StormAnswer>((resolve) => {
            setTimeout(() => {
              const sentAt = clock();
              const cmd = command(p.commandId, `class:${p.sessionId}`, "class:book", { sessionId: p.sessionId });
              // Patient clients (3 min): a slow answer is measured as slow, not counted as lost.
              void ask(sockets[i]!, "command", cmd, 180_000).then((ack) => {
                const result = ack.result as { bookingId?: string } | undefined;
                resolve({
                  userId: p.userId, sessionId: p.sessionId, sentAt, ackAt: clock(), ok: ack.ok,
                  code: ack.ok ? null : (ack.error?.code ?? "?"), bookingId: result?.bookingId ?? null,
                });
              });
            }, Math.max(0, a.go + p.offsetMs - clock()));
          }),
      ),
    );
  },

  close() {
    const dropped = closeAll(sockets);
    sockets = [];
    return { dropped };
  },
});
