/**
 * Baseline server: plain `node:http` + Socket.IO (websocket transport, no uWS, no Redis) + `pg`,
 * speaking Spotter's wire protocol (`room:join`, `command` → ack, `room:delta`) so the very same
 * load generators drive it. Every command is one row-locking transaction (see rules.ts);
 * watchers get a small delta after each commit. Env: PORT, DATABASE_URL, JWT_SECRET, POOL_MAX.
 */
import { createServer } from "node:http";
import { Server } from "socket.io";
import { pool } from "../lib/pg.js";
import { env, requireToken } from "./auth.js";
import { book, cancel, checkIn, Refused, type Ctx, type Notify, feedPage } from "./rules.js";

const db = pool(env("DATABASE_URL"), Number(process.env.POOL_MAX ?? 10));

const http = createServer((req, res) => {
  res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "application/json" }).end('{"status":"ok"}');
});
const io = new Server(http, { serveClient: false, transports: ["websocket"], pingInterval: 10_000, pingTimeout: 5_000 });

type Ack = (a: unknown) => void;
type Op = { op: "set"; path: string[]; value: unknown };
const seqs = new Map<string, number>();
const notify: Notify = (channel, ops: Op[]) => {
  const seq = (seqs.get(channel) ?? 0) + 1;
  seqs.set(channel, seq);
  io.to(channel).emit("room:delta", { room: channel, seq, ops });
};

const sessionGym = new Map<string, string>();
async function gymOf(room: string): Promise<string | null> {
  const [kind, id] = room.split(":") as [string, string];
  if (kind === "gym") return id;
  if (kind !== "class") return null;
  const cached = sessionGym.get(id);
  if (cached) return cached;
  const { rows } = await db.query<{ gym_id: string }>(`select gym_id from class_session where id = $1`, [id]);
  if (rows[0]) sessionGym.set(id, rows[0].gym_id);
  return rows[0]?.gym_id ?? null;
}

async function callerIn(userId: string, room: string): Promise<{ gymId: string; role: string; userId: string }> {
  const gymId = await gymOf(room);
  if (!gymId) throw new Refused("NOT_FOUND");
  const { rows } = await db.query<{ role: string; status: string }>(
    `select role, status from gym_membership where gym_id = $1 and user_id = $2`,
    [gymId, userId],
  );
  if (!rows[0] || rows[0].status === "cancelled") throw new Refused("NOT_FOUND");
  return { gymId, role: rows[0].role, userId };
}

/** What the ordinary class page reads on open: counts, roster and waitlist with names. */
async function classPage(sessionId: string) {
  const [roster, waitlist] = await Promise.all([
    db.query<{ id: string; name: string; email: string; status: string }>(
      `select b.id, u.name, u.email, b.status from booking b join app_user u on u.id = b.member_id
       where b.session_id = $1 and b.status in ('booked', 'checked_in') order by b.created_at, b.id`,
      [sessionId],
    ),
    db.query<{ id: string; name: string; position: number }>(
      `select w.id, u.name, w.position from waitlist_entry w join app_user u on u.id = w.member_id
       where w.session_id = $1 and w.status in ('waiting', 'offered') order by w.position`,
      [sessionId],
    ),
  ]);
  return { counts: { booked: roster.rows.length, waitlist: waitlist.rows.length }, roster: roster.rows, waitlist: waitlist.rows };
}

const answer = (ack: unknown, run: () => Promise<unknown>) => {
  if (typeof ack !== "function") return;
  run().then(
    (result) => (ack as Ack)({ ok: true, result }),
    (err: unknown) =>
      (ack as Ack)(
        err instanceof Refused
          ? { ok: false, error: { code: err.code, message: err.code } }
          : (console.error(err), { ok: false, error: { code: "INTERNAL", message: "internal error" } }),
      ),
  );
};

requireToken(io);

io.on("connection", (socket) => {
  const userId = socket.data.userId as string;
  socket.on("room:join", (req: { room: string }, ack: unknown) =>
    answer(ack, async () => {
      const room = String(req?.room ?? "");
      if (room.startsWith("user:")) {
        if (room !== `user:${userId}`) throw new Refused("NOT_FOUND");
        void socket.join(room);
        return { room, seq: 0, snapshot: { notices: {} } };
      }
      await callerIn(userId, room);
      const snapshot = room.startsWith("class:") ? await classPage(room.slice(6)) : {};
      void socket.join(room);
      return { room, seq: seqs.get(room) ?? 0, snapshot };
    }),
  );
  socket.on("room:leave", (req: { room: string }, ack: unknown) => answer(ack, async () => void socket.leave(String(req?.room ?? ""))));
  socket.on("command", (cmd: { commandId: string; room: string; type: string; payload: never }, ack: unknown) =>
    answer(ack, async () => {
      const ctx: Ctx = { db, caller: await callerIn(userId, String(cmd?.room ?? "")), commandId: cmd.commandId, notify };
      switch (cmd.type) {
        case "class:book":
          return book(ctx, cmd.payload);
        case "class:cancelBooking":
          return cancel(ctx, cmd.payload);
        case "gym:checkIn":
          return checkIn(ctx, cmd.payload);
        case "feed:page":
          return feedPage(ctx, cmd.payload);
        default:
          throw new Refused("VALIDATION_FAILED");
      }
    }),
  );
});

http.listen(Number(env("PORT")), "127.0.0.1");
const stop = () => {
  io.close();
  void db.end().finally(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
