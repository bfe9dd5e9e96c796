/**
 * Paced drivers, one logical client each: the fan-out booker (a booking every N ms), the desk
 * (check-ins at a fixed rate), the waitlist canceller/listener pairs and the cold-room joiner.
 */
import { serve } from "../lib/rpc.js";
import { clock } from "../lib/seeded.js";
import { ask, closeAll, command, connect, connectMany, type Socket } from "../lib/sockets.js";

interface Op {
  op: string;
  path: string[];
  value?: unknown;
}

let open: Socket[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Sends `count` commands open-loop, one every `intervalMs`, and waits for every ack. */
async function paced<T>(count: number, intervalMs: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const start = clock() + 20;
  const out: Promise<T>[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(start + i * intervalMs - clock());
    out.push(send(i));
  }
  return Promise.all(out);
}

function promotedNotice(ops: Op[]): boolean {
  return ops.some((o) => {
    if (o.op !== "set" || o.path[0] !== "notices") return false;
    const values = o.path.length === 1 ? Object.values(o.value as Record<string, { kind: string }>) : [o.value as { kind: string }];
    return values.some((v) => v?.kind === "promoted");
  });
}

serve({
  /** Fan-out: staff books `members` one every `intervalMs`; returns send time and the count each booking made. */
  async book(a: {
    url: string;
    secret: string;
    deskId: string;
    sessionId: string;
    capacity: number;
    members: string[];
    intervalMs: number;
  }) {
    const desk = await connect(a.url, a.secret, a.deskId);
    open.push(desk);
    const room = `class:${a.sessionId}`;
    return paced(a.members.length, a.intervalMs, async (i) => {
      const sentAt = clock();
      const ack = await ask(
        desk,
        "command",
        command(`fan-${i}-${a.sessionId.slice(0, 8)}`, room, "class:book", { sessionId: a.sessionId, memberId: a.members[i] }),
      );
      const r = ack.result as { spotsLeft?: number; bookingId?: string; count?: number } | undefined;
      // The no-op ceiling server knows no capacity: it answers the count itself.
      const count = r?.count ?? (r?.spotsLeft === undefined ? null : a.capacity - r.spotsLeft);
      return { sentAt, ackMs: clock() - sentAt, ok: ack.ok, code: ack.error?.code ?? null, count };
    });
  },

  /** Desk check-ins at `perSecond` on the gym room; the desk watches the gym room first, as a desk screen does. */
  async checkIns(a: { url: string; secret: string; deskId: string; gymId: string; members: string[]; perSecond: number }) {
    const desk = await connect(a.url, a.secret, a.deskId);
    open.push(desk);
    const room = `gym:${a.gymId}`;
    const joined = await ask(desk, "room:join", { room });
    if (!joined.ok) throw new Error(`desk cannot watch ${room}: ${JSON.stringify(joined.error)}`);
    return paced(a.members.length, 1000 / a.perSecond, async (i) => {
      const sentAt = clock();
      const ack = await ask(desk, "command", command(`desk-${i}-${a.gymId.slice(0, 8)}`, room, "gym:checkIn", { memberId: a.members[i] }));
      const r = ack.result as { status?: string } | undefined;
      return { memberId: a.members[i]!, rttMs: clock() - sentAt, ok: ack.ok, status: r?.status ?? null, code: ack.error?.code ?? null };
    });
  },

  /** Waitlist: canceller i cancels; waiter i (watching their own user room) should get the "promoted" notice. */
  async promotions(a: { url: string; secret: string; sessionId: string; cancellers: string[]; waiters: string[] }) {
    const cancellers = await connectMany(a.url, a.secret, a.cancellers);
    const waiters = await connectMany(a.url, a.secret, a.waiters);
    open.push(...cancellers, ...waiters);
    const noticed = new Map<number, number>();
    await Promise.all(
      waiters.map(async (s, i) => {
        s.on("room:delta", (d: { ops: Op[] }) => {
          if (!noticed.has(i) && promotedNotice(d.ops)) noticed.set(i, clock());
        });
        const ack = await ask(s, "room:join", { room: `user:${a.waiters[i]}` });
        if (!ack.ok) throw new Error(`waiter cannot watch own room: ${JSON.stringify(ack.error)}`);
      }),
    );
    const room = `class:${a.sessionId}`;
    const out: { noticeMs: number; ackMs: number; ok: boolean; code: string | null }[] = [];
    for (let i = 0; i < cancellers.length && i < waiters.length; i++) {
      const sentAt = clock();
      const ack = await ask(
        cancellers[i]!,
        "command",
        command(`cancel-${i}-${a.sessionId.slice(0, 8)}`, room, "class:cancelBooking", { sessionId: a.sessionId }),
      );
      const ackMs = clock() - sentAt;
      for (const deadline = clock() + 5_000; !noticed.has(i) && clock() < deadline;) await sleep(1);
      out.push({ noticeMs: noticed.has(i) ? noticed.get(i)! - sentAt : NaN, ackMs, ok: ack.ok, code: ack.error?.code ?? null });
      await sleep(20);
    }
    return out;
  },

  /** Cold rooms: one staff socket joins each never-used class room once; the join answer carries the hydrated snapshot. */
  async coldJoins(a: { url: string; secret: string; deskId: string; sessionIds: string[] }) {
    const desk = await connect(a.url, a.secret, a.deskId);
    open.push(desk);
    const out: { ms: number; ok: boolean; booked: number; waitlist: number }[] = [];
    for (const id of a.sessionIds) {
      const sentAt = clock();
      const ack = await ask(desk, "room:join", { room: `class:${id}` });
      const ms = clock() - sentAt;
      const counts = (ack.result as { snapshot?: { counts?: { booked: number; waitlist: number } } } | undefined)?.snapshot?.counts;
      out.push({ ms, ok: ack.ok, booked: counts?.booked ?? -1, waitlist: counts?.waitlist ?? -1 });
      await ask(desk, "room:leave", { room: `class:${id}` });
      await sleep(10);
    }
    return out;
  },

  close() {
    const dropped = closeAll(open);
    open = [];
    return { dropped };
  },
});
