/**
 * The ceiling: Socket.IO on uWebSockets.js (`io.attachApp`, Spotter's production transport) with no-op
 * handlers, speaking Spotter's wire protocol so the very same load generators drive it. A command is
 * acked at once (no validation, no room, no database); a `class:book` bumps an in-memory count and
 * publishes one small delta to the room's channel, as Spotter's class room does. What this server costs
 * per answer or per delivered delta is Socket.IO's and uWS's own cost on this machine: no server built
 * on them answers for less. Env: PORT, JWT_SECRET.
 */
import { randomUUID } from "node:crypto";
import { Server } from "socket.io";
import { loadNativeUws } from "../../../server/http/uwsTransport.js";
import { env, requireToken } from "./auth.js";

const uws = await loadNativeUws();
if (!uws) throw new Error("the native uWebSockets.js binary does not load here");

const app = uws.App();
const io = new Server({ serveClient: false, pingInterval: 10_000, pingTimeout: 5_000 });
io.attachApp(app);
app.get("/health", (res) => void res.end('{"status":"ok"}'));

const booked = new Map<string, number>();
const seqs = new Map<string, number>();

requireToken(io);

io.on("connection", (socket) => {
  socket.on("room:join", (req: { room?: string }, ack: (a: unknown) => void) => {
    const room = String(req?.room ?? "");
    void socket.join(room);
    ack({
      ok: true,
      result: { room, audience: "public", seq: seqs.get(room) ?? 0, snapshot: { counts: { booked: booked.get(room) ?? 0 } } },
    });
  });
  socket.on("room:leave", (req: { room?: string }, ack: (a: unknown) => void) => {
    void socket.leave(String(req?.room ?? ""));
    ack({ ok: true, result: null });
  });
  socket.on("command", (cmd: { room?: string; type?: string }, ack: (a: unknown) => void) => {
    if (typeof ack !== "function") return;
    if (cmd?.type === "class:book" && cmd.room) {
      const n = (booked.get(cmd.room) ?? 0) + 1;
      const seq = (seqs.get(cmd.room) ?? 0) + 1;
      booked.set(cmd.room, n);
      seqs.set(cmd.room, seq);
      io.to(cmd.room).emit("room:delta", { room: cmd.room, seq, ops: [{ op: "set", path: ["counts", "booked"], value: n }] });
      ack({ ok: true, result: { status: "booked", bookingId: randomUUID(), count: n } });
      return;
    }
    ack({ ok: true, result: null });
  });
});

app.listen("127.0.0.1", Number(env("PORT")), (token) => {
  if (!token) throw new Error(`cannot listen on ${env("PORT")}`);
});
const stop = () => {
  io.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
