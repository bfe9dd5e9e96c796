/**
 * A raw Socket.IO client: Engine.IO v4 / Socket.IO v5 spoken by hand over a WebSocket, so a frame can be anything,
 * and the check that an answer is exactly one typed Ack.
 */
import WebSocket from "ws";
import { ErrorCodes } from "../../../domain/errors.js";
import type { FuzzFrame } from "./frames.js";
import { isRecord } from "./hostileValues.js";

/** The answer to the namespace CONNECT: connected, or refused with the server's CONNECT_ERROR. */
export type Handshake = { ok: true; client: WireClient } | { ok: false; message: string; data: unknown; client: WireClient };

/**
 * A Socket.IO client written against the wire (Engine.IO v4 over WebSocket): it answers pings and
 * records acks, and sends whatever bytes it is given — which the real client library never would.
 */
export class WireClient {
  /** Ack id → the ack's arguments. */
  readonly answers = new Map<number, unknown[]>();
  /** Events the server pushed (`room:delta`, …). */
  pushed = 0;
  closed = false;
  private readonly waiting = new Map<number, (args: unknown[] | null) => void>();
  private closeWaiters: (() => void)[] = [];
  private sentinelSeq = 1_000_000_000;

  private constructor(private readonly ws: WebSocket) {}

  /** Opens a WebSocket to the server and connects to the main namespace with `token` (none when undefined). */
  static connect(url: string, token: string | undefined, timeoutMs = 15_000): Promise<Handshake> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    const client = new WireClient(ws);
    return new Promise<Handshake>((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error("handshake timed out"));
      }, timeoutMs);
      const settle = (h: Handshake | Error): void => {
        clearTimeout(timer);
        if (h instanceof Error) reject(h);
        else resolve(h);
      };
      ws.on("error", (e) => settle(e));
      ws.on("close", () => {
        client.closed = true;
        for (const w of client.waiting.values()) w(null);
        client.waiting.clear();
        for (const w of client.closeWaiters.splice(0)) w();
        settle(new Error("closed during handshake"));
      });
      ws.on("message", (raw: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        try {
          client.onText(raw.toString("utf8"), token, settle);
        } catch {
          // A frame this client cannot read (e.g. a CONNECT_ERROR for another namespace) changes nothing here.
        }
      });
    });
  }

  /** Engine.IO: "0" open → CONNECT with the token, "2" ping → "3" pong; Socket.IO: "40" connected, "44" refused, "43" ack, "42" event. */
  private onText(text: string, token: string | undefined, settle: (h: Handshake) => void): void {
    if (text.startsWith("0")) this.ws.send(`40${JSON.stringify(token === undefined ? {} : { token })}`);
    else if (text === "2") this.ws.send("3");
    else if (text.startsWith("40")) settle({ ok: true, client: this });
    else if (text.startsWith("44")) {
      const err = JSON.parse(text.slice(2)) as { message: string; data?: unknown };
      settle({ ok: false, message: err.message, data: err.data, client: this });
    } else if (text.startsWith("43")) this.onAck(text.slice(2));
    else if (text.startsWith("42")) this.pushed += 1;
  }

  private onAck(body: string): void {
    const digits = /^\d+/.exec(body)?.[0] ?? "";
    const id = Number(digits);
    let args: unknown[];
    try {
      args = JSON.parse(body.slice(digits.length)) as unknown[];
    } catch {
      args = [Symbol.for("unparseable ack")];
    }
    this.answers.set(id, args);
    this.waiting.get(id)?.(args);
    this.waiting.delete(id);
  }

  send(frame: FuzzFrame): void {
    if (this.closed) return;
    for (const part of frame.wire) this.ws.send(part.data, { binary: part.binary });
  }

  /** Emits `event` with an ack and waits for the answer; null when the connection closed first, "timeout" when neither happened. */
  request(event: string, arg: unknown, timeoutMs = 15_000): Promise<unknown[] | null | "timeout"> {
    const id = ++this.sentinelSeq;
    return new Promise((resolve) => {
      if (this.closed) return resolve(null);
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve("timeout");
      }, timeoutMs);
      this.waiting.set(id, (args) => {
        clearTimeout(timer);
        resolve(args);
      });
      this.ws.send(`42${id}${JSON.stringify([event, arg])}`);
    });
  }

  /** Resolves once the ack `id` arrived (true) or after `timeoutMs` / on close (false). */
  awaitAnswer(id: number, timeoutMs: number): Promise<boolean> {
    if (this.answers.has(id)) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(id, (args) => {
        clearTimeout(timer);
        resolve(args !== null);
      });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.ws.close();
      setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2_000).unref();
    });
  }
}

/** Whether `args` is exactly one typed Ack: `{ ok: true, result }` or `{ ok: false, error: { code ∈ ErrorCodes, message, fields?, retryAfterMs? } }`. */
export function typedAckProblem(args: unknown[]): string | null {
  if (args.length !== 1) return `expected one ack argument, got ${args.length}`;
  const a = args[0];
  if (!isRecord(a)) return "ack is not an object";
  if (a.ok === true) return "result" in a && Object.keys(a).length === 2 ? null : "ok ack without exactly { ok, result }";
  if (a.ok !== false || !isRecord(a.error)) return "ack is neither { ok: true } nor { ok: false, error }";
  const e = a.error;
  if (typeof e.code !== "string" || !Object.hasOwn(ErrorCodes, e.code)) return `error code ${JSON.stringify(e.code)} is not in ErrorCodes`;
  if (typeof e.message !== "string" || e.message.length === 0) return "error without a message";
  if (/node_modules|\.ts:\d|\bat \w+ \(|select |insert |syntax for type/i.test(e.message))
    return `internal detail in message: ${e.message.slice(0, 120)}`;
  if (Object.keys(e).some((k) => !["code", "message", "fields", "retryAfterMs"].includes(k)))
    return `unexpected error keys ${Object.keys(e).join(",")}`;
  if (e.fields !== undefined && (!isRecord(e.fields) || Object.values(e.fields).some((v) => typeof v !== "string")))
    return "fields is not a string map";
  if (e.code === "RATE_LIMITED" && !(typeof e.retryAfterMs === "number" && e.retryAfterMs > 0)) return "RATE_LIMITED without retryAfterMs";
  return null;
}
