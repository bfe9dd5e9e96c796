import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Socket } from "socket.io";
import { closeSlowConsumer, atCap, SEND_DROPPED } from "./uwsBackpressure.js";

/** A decoded Socket.IO packet as the client and socket pass it on (socket.io-parser's shape). */
type Packet = { type: number; nsp: string; id?: number; data?: unknown };
type ClientLike = { nsps: Map<string, SocketLike>; conn: { protocol: number } };
type SocketLike = { fns: unknown[]; connected: boolean; _onpacket(packet: Packet): void };
type EngineSocket = {
  readyState: string;
  writeBuffer: unknown[];
  sentCallbackFn: unknown[];
  transport: UwsTransport;
  server: { listenerCount(event: string): number };
  listenerCount(event: string): number;
  emit(event: string): unknown;
  sendPacket(type: string, data?: unknown, options?: unknown, callback?: unknown): void;
};
type UwsTransport = {
  name: string;
  writable: boolean;
  perMessageDeflate: unknown;
  socket: { send(data: string, isBinary: boolean, compress: boolean): number; getBufferedAmount(): number };
};
type Emitting = { emitUntyped(...args: unknown[]): unknown };

const CONNECT = 0;
const CONNECT_ERROR = 4;
const ACK = 3;

/** Answers known to hold no binary value (views, as JSON): their acks skip socket.io-parser's search for one. */
const plainJson = new WeakSet<object>();

/**
 * Marks `answer` as plain JSON — no Buffer, ArrayBuffer, typed array or Blob anywhere in it — so that its ack is
 * encoded as text at once: socket.io-parser otherwise walks every value of every ack looking for binary (each key of
 * each line of a 250-line roster, ~40 µs warm and several times that cold, per join). The frame is the same.
 */
export function plainJsonAnswer<T extends object>(answer: T): T {
  plainJson.add(answer);
  return answer;
}

let installed = false;

/**
 * Socket.IO's per-packet work Spotter does not use, cut from the path of every request (issue 15). Stock Socket.IO
 * defers each decoded packet twice with `process.nextTick` — once in the client before the socket sees it, once
 * more in the socket after its per-socket middlewares (`socket.use`) ran — with a closure and a tick object each
 * time. Spotter installs no per-socket middleware, and its handlers never throw (every one is wrapped and
 * answers through its ack), so a packet for a connected socket is handed to its listeners at once, in arrival
 * order as before. Anything else — a socket with middlewares, a `CONNECT` packet, protocol v3 clients, an unknown
 * namespace — keeps Socket.IO's own path. The wire is unchanged (the same frames in and out).
 * Process-wide (the prototypes are shared); idempotent.
 */
export function installSocketIoFastPath(): void {
  if (installed) return;
  installed = true;
  // The client class is not exported (the package's `exports` name only its index): load it beside the index.
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve("socket.io"));
  const { Client } = require(join(dir, "client.js")) as { Client: { prototype: { ondecoded(packet: Packet): void } } };

  const stockDecoded = Client.prototype.ondecoded;
  Client.prototype.ondecoded = function ondecoded(this: ClientLike, packet: Packet): void {
    if (this.conn.protocol !== 3 && packet.type !== CONNECT && packet.type !== CONNECT_ERROR) {
      const socket = this.nsps.get(packet.nsp);
      if (socket !== undefined) return socket._onpacket(packet);
    }
    stockDecoded.call(this, packet);
  };

  installDirectWrites(createRequire(require.resolve("socket.io")));
  installPlainAcks(createRequire(require.resolve("socket.io")));

  const proto = Socket.prototype as unknown as { dispatch(event: unknown[]): void; emitUntyped: Emitting["emitUntyped"] };
  const stockDispatch = proto.dispatch;
  // `emitUntyped` is the EventEmitter's `emit` under Socket.IO's typed wrapper (Socket.prototype.emit writes to the wire).
  const emitLocally = Object.getPrototypeOf(Socket.prototype).emitUntyped as Emitting["emitUntyped"];
  proto.dispatch = function dispatch(this: SocketLike, event: unknown[]): void {
    if (this.fns.length > 0) return stockDispatch.call(this, event);
    if (this.connected) emitLocally.apply(this, event);
  };
}

/** Acks of answers marked by {@link plainJsonAnswer} are encoded as text without the binary search. */
function installPlainAcks(fromSocketIo: NodeRequire): void {
  type Encoding = { encode(obj: Packet): unknown[]; encodeAsString(obj: Packet): string };
  const { Encoder } = fromSocketIo("socket.io-parser") as { Encoder: { prototype: Encoding } };
  const stockEncode = Encoder.prototype.encode;
  Encoder.prototype.encode = function encode(this: Encoding, obj: Packet): unknown[] {
    const data = obj.data;
    if (obj.type === ACK && Array.isArray(data) && data.length === 1 && plainJson.has(data[0] as object)) return [this.encodeAsString(obj)];
    return stockEncode.call(this, obj);
  };
}

/**
 * A text message to a WebSocket client on uWS, written straight to its socket when nothing is queued before it.
 * Stock engine.io makes a packet and an options object per message, queues it, emits `packetCreate`, `flush`
 * (socket and server), `drain` (transport, socket and server) and `ready`, and wraps the write in a closure: with
 * no listener on those events, an empty queue and no send callback, all of that ends in the same
 * `send("4" + data)` this does. Anything else (polling, binary, a callback, compression, a queue) takes the stock path.
 */
function installDirectWrites(fromSocketIo: NodeRequire): void {
  const engineEntry = fromSocketIo.resolve("engine.io");
  const { Socket: EngineSocketClass } = fromSocketIo(engineEntry) as { Socket: { prototype: EngineSocket } };
  const { WebSocket: UwsWebSocket } = fromSocketIo(join(dirname(engineEntry), "transports-uws", "websocket.js")) as {
    WebSocket: new (...args: never[]) => UwsTransport;
  };
  const proto = EngineSocketClass.prototype;
  const stockSend = proto.sendPacket;
  proto.sendPacket = function sendPacket(this: EngineSocket, type: string, data?: unknown, options?: unknown, callback?: unknown): void {
    const transport = this.transport;
    if (
      type === "message" &&
      typeof data === "string" &&
      callback === undefined &&
      typeof options !== "function" &&
      this.readyState === "open" &&
      this.writeBuffer.length === 0 &&
      this.sentCallbackFn.length === 0 &&
      transport instanceof UwsWebSocket &&
      transport.writable &&
      !transport.perMessageDeflate &&
      this.listenerCount("packetCreate") + this.listenerCount("flush") + this.listenerCount("drain") === 0 &&
      this.server.listenerCount("flush") + this.server.listenerCount("drain") === 0
    ) {
      // 1 is written; 0 is held back by uWS (the client reads slower than we write); 2 is dropped (past the cap).
      // A dropped message, or a backlog at the cap (the next would be), closes the connection: never a silent gap or lost ack.
      const status = transport.socket.send(`4${data}`, false, false);
      if (status === SEND_DROPPED || (status !== 1 && atCap(this))) closeSlowConsumer(this);
      return;
    }
    stockSend.call(this, type, data, options, callback);
    // Engine.IO's own path (pings, binary, callbacks, a queue) reads no status either; on uWS it writes at once.
    if (transport instanceof UwsWebSocket && atCap(this)) closeSlowConsumer(this);
  };
}
