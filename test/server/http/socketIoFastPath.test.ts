/**
 * Socket.IO's per-packet work cut from every request (issue 15, `server/http/socketIoFastPath.ts`): decoded
 * packets reach their listeners without two `process.nextTick`s, and a text message to a uWS WebSocket client
 * with nothing queued is written straight to its socket. The wire and the order must not change; long-polling
 * clients and sockets with middlewares keep Socket.IO's own path.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { installSocketIoFastPath, plainJsonAnswer } from "../../../server/http/socketIoFastPath.js";
import { loadNativeUws } from "../../../server/http/uwsTransport.js";

const fromSocketIo = createRequire(createRequire(import.meta.url).resolve("socket.io"));
const engineEntry = fromSocketIo.resolve("engine.io");
const { WebSocket: UwsWebSocket } = fromSocketIo(join(dirname(engineEntry), "transports-uws", "websocket.js")) as {
  WebSocket: { prototype: { send(packets: unknown[]): void } };
};

describe("Socket.IO fast path on uWS", () => {
  let server: Server;
  let url = "";
  const clients: ClientSocket[] = [];
  const seen: number[] = [];
  let middlewareCalls = 0;

  beforeAll(async () => {
    installSocketIoFastPath();
    const uws = await loadNativeUws();
    if (!uws) throw new Error("the native uWebSockets.js binary does not load here");
    const app = uws.App();
    server = new Server({ serveClient: false });
    server.attachApp(app);
    server.on("connection", (socket) => {
      if (socket.handshake.auth?.["guarded"]) {
        socket.use(([event], next) => {
          middlewareCalls++;
          next(event === "refused" ? new Error("refused by middleware") : undefined);
        });
        socket.on("error", (err) => socket.emit("refusal", err.message));
      }
      socket.on("echo", (n: number, ack: (a: unknown) => void) => {
        seen.push(n);
        ack({ ok: true, result: { n, text: 'ü\u2028"quoted"' } });
      });
    });
    const port = await new Promise<number>((resolve, reject) =>
      app.listen("127.0.0.1", 0, (s) => (s ? resolve(uws.us_socket_local_port(s)) : reject(new Error("no port")))),
    );
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    for (const c of clients) c.close();
    server?.close();
  });

  async function client(transports: ("polling" | "websocket")[], auth: Record<string, unknown> = {}): Promise<ClientSocket> {
    const c = connect(url, { transports, auth, reconnection: false, forceNew: true });
    clients.push(c);
    await new Promise<void>((resolve, reject) => {
      c.once("connect", resolve);
      c.once("connect_error", reject);
    });
    return c;
  }

  const burst = (c: ClientSocket, from: number, n: number) =>
    Promise.all(Array.from({ length: n }, (_, i) => c.timeout(10_000).emitWithAck("echo", from + i)));

  it("writes a websocket client's acks straight to uWS, in order and byte for byte", async () => {
    const c = await client(["websocket"]);
    const queued = vi.spyOn(UwsWebSocket.prototype, "send");
    const ticks = vi.spyOn(process, "nextTick");
    try {
      seen.length = 0;
      const answers = await burst(c, 0, 50);
      expect(answers).toEqual(Array.from({ length: 50 }, (_, n) => ({ ok: true, result: { n, text: 'ü\u2028"quoted"' } })));
      expect(seen).toEqual(Array.from({ length: 50 }, (_, n) => n));
      // Engine.IO's queue and transport were not involved: no packet went through the transport's send.
      expect(queued).toHaveBeenCalledTimes(0);
      // Stock Socket.IO defers each event twice (client, then socket): 100 ticks for 50 events, whatever else ticks.
      expect(ticks.mock.calls.length).toBeLessThan(50);
    } finally {
      ticks.mockRestore();
      queued.mockRestore();
    }
  });

  it("keeps Engine.IO's own path for long-polling clients", async () => {
    const c = await client(["polling"]);
    seen.length = 0;
    expect(await burst(c, 100, 10)).toHaveLength(10);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => 100 + i));
  });

  it("runs a socket's middlewares on every event, and their refusals, as Socket.IO does", async () => {
    const c = await client(["websocket"], { guarded: true });
    middlewareCalls = 0;
    seen.length = 0;
    expect(await burst(c, 200, 5)).toHaveLength(5);
    const refusal = new Promise<string>((resolve) => c.once("refusal", resolve));
    c.emit("refused", 1);
    expect(await refusal).toBe("refused by middleware");
    expect(middlewareCalls).toBe(6);
    expect(seen).toEqual([200, 201, 202, 203, 204]);
  });

  it("encodes the ack of an answer marked plain JSON as text without searching it for binary; unmarked acks keep the search", () => {
    const { Encoder } = fromSocketIo("socket.io-parser") as { Encoder: new () => { encode(p: object): unknown[] } };
    const encoder = new Encoder();
    // A roster line whose `status` counts its reads: JSON.stringify reads it once, the search for binary once more.
    const answer = () => {
      const counted = { reads: 0 };
      const line = { name: "Ana" };
      Object.defineProperty(line, "status", { enumerable: true, get: () => (counted.reads++, "booked") });
      return { line: counted, answer: { ok: true, result: { roster: { b1: line } } } };
    };
    const stock = answer();
    const unmarked = encoder.encode({ type: 3, nsp: "/", id: 7, data: [stock.answer] });
    expect(stock.line.reads).toBe(2);
    const marked = answer();
    expect(encoder.encode({ type: 3, nsp: "/", id: 7, data: [plainJsonAnswer(marked.answer)] })).toEqual(unmarked);
    expect(marked.line.reads).toBe(1);
    // Unmarked, a binary value is still found and sent as binary (a text header and the attachment).
    expect(encoder.encode({ type: 3, nsp: "/", id: 8, data: [{ ok: true, result: Buffer.from("x") }] })).toHaveLength(2);
  });
});
