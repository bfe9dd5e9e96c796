/**
 * What Socket.IO on uWS costs the server per command, with Spotter's transport choices or without them:
 *   node --import tsx scripts/bench/repro/transportCpu.ts <stock|lean> [sockets=500] [rounds=40] [--alloc]
 * This process serves Socket.IO on uWebSockets.js (as `createIo` + `listenUws` configure it) with a handler of
 * Spotter's shape and no work behind it: the command envelope is validated (`stock`: the zod schema; `lean`: the
 * plain check first) and acked at once. `lean` also installs `server/http/socketIoFastPath.ts`. A child process
 * connects bare Engine.IO sockets (`rawSockets.ts`) and sends rounds of one command per socket; after 5 unmeasured
 * rounds the server's main-thread CPU (schedstat) and process CPU are divided by the commands answered.
 * `--alloc` instead counts bytes allocated per command (V8's sampling heap profiler, 1 kB interval, objects the
 * GC already took included; the profile is written to `<tmpdir>/transport-<mode>.heapprofile`). Run the two modes alternately: this machine's load moves single runs.
 */
// First, as in server/main.ts: a library loaded before it keeps its `debug` loggers (an allocation per packet).
import "../../../server/quietDebug.js";
import { fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Session } from "node:inspector";
import { Server as IoServer } from "socket.io";
import { installSocketIoFastPath } from "../../../server/http/socketIoFastPath.js";
import { loadNativeUws } from "../../../server/http/uwsTransport.js";
import { CommandEnvelopeSchema, plainEnvelope } from "../../../domain/protocol/envelope.js";
import { rawConnectMany } from "../lib/rawSockets.js";

const WARM_ROUNDS = 5;
const SECRET = "transport-cpu-secret-of-32-bytes-at-least";

if (process.argv[2] === "client") await client(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else
  await server(process.argv[2] === "lean", Number(process.argv[3] ?? 500), Number(process.argv[4] ?? 40), process.argv.includes("--alloc"));

async function client(url: string, sockets: number, rounds: number): Promise<void> {
  const users = Array.from({ length: sockets }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  const all = await rawConnectMany(url, SECRET, users);
  const room = "class:00000000-0000-4000-8000-000000000001";
  process.send!("connected");
  for (let r = 0; r < rounds + WARM_ROUNDS; r++) {
    await new Promise<void>((resolve) => process.once("message", () => resolve()));
    const acks = await Promise.all(
      all.map((s, i) =>
        s.ask("command", { commandId: `cmd-${r}-${i}-xxxxxxxx`, room, type: "class:book", payload: { sessionId: users[i] } }, 10_000),
      ),
    );
    if (acks.some((a) => !a.ok)) throw new Error("a command was not answered ok");
    process.send!("round");
  }
  for (const s of all) s.close();
  process.exit(0);
}

function mainThreadNs(): number {
  return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
}

async function server(lean: boolean, sockets: number, rounds: number, alloc: boolean): Promise<void> {
  if (lean) installSocketIoFastPath();
  const uws = await loadNativeUws();
  if (!uws) throw new Error("the native uWebSockets.js binary does not load here");
  const app = uws.App();
  const io = new IoServer({ serveClient: false, pingInterval: 10_000, pingTimeout: 5_000, connectionStateRecovery: undefined });
  io.attachApp(app);
  let answered = 0;
  const onCommand = async (cmd: unknown) => {
    const envelope = (lean ? plainEnvelope(cmd) : null) ?? CommandEnvelopeSchema.safeParse(cmd).data;
    if (!envelope) return { ok: false, error: { code: "VALIDATION_FAILED", message: "bad" } };
    return { ok: true, result: { status: "booked", bookingId: envelope.commandId, position: null } };
  };
  function onCommandGuarded(this: unknown, cmd: unknown, ack: unknown): void {
    if (typeof ack !== "function") return;
    void onCommand(cmd).then((a) => {
      answered++;
      (ack as (a: unknown) => void)(a);
    });
  }
  io.on("connection", (socket) => void socket.on("command", onCommandGuarded as never));
  const port = await new Promise<number>((resolve, reject) =>
    app.listen("127.0.0.1", 0, (s) => (s ? resolve(uws.us_socket_local_port(s)) : reject(new Error("no port")))),
  );
  const child = fork(new URL(import.meta.url).pathname, ["client", `http://127.0.0.1:${port}`, String(sockets), String(rounds)], {
    execArgv: ["--import", "tsx"],
  });
  const next = () => new Promise<void>((resolve) => child.once("message", () => resolve()));
  await next();
  for (let r = 0; r < WARM_ROUNDS; r++) {
    child.send("go");
    await next();
  }
  const session = new Session();
  if (alloc) {
    session.connect();
    session.post("HeapProfiler.enable");
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as never);
  }
  const [main0, cpu0, n0] = [mainThreadNs(), process.cpuUsage(), answered];
  for (let r = 0; r < rounds; r++) {
    child.send("go");
    await next();
  }
  const [main1, cpu1, n] = [mainThreadNs(), process.cpuUsage(cpu0), answered - n0];
  const mode = lean ? "lean" : "stock";
  if (alloc) {
    const bytes = await new Promise<number>((resolve) =>
      session.post("HeapProfiler.stopSampling", (e, r) => {
        type N = { selfSize: number; children: N[] };
        if (!e) writeFileSync(join(tmpdir(), `transport-${mode}.heapprofile`), JSON.stringify((r as { profile: unknown }).profile));
        const sum = (x: N): number => x.selfSize + x.children.reduce((s, c) => s + sum(c), 0);
        resolve(e ? NaN : sum((r as unknown as { profile: { head: N } }).profile.head));
      }),
    );
    console.log(`${mode}: ${n} commands, ${(bytes / 1024 / n).toFixed(2)} kB allocated per command`);
  } else {
    const ms = (x: number) => (x / n).toFixed(4);
    console.log(
      `${mode}: ${n} commands, main thread ${ms((main1 - main0) / 1e6)} ms, process ${ms((cpu1.user + cpu1.system) / 1000)} ms per command`,
    );
  }
  child.kill();
  process.exit(0);
}
