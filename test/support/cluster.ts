/** Multi-node test helpers: two nodes on one database and Redis, free ports, a private Redis server to restart, member clients that retry until answered. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll } from "vitest";
import type { Ack } from "../../domain/protocol/envelope.js";
import { aGym, type GymFixture } from "./gymFixture.js";
import { createTestDatabase, startTestServer, type Service, type TestDatabase, type TestServer } from "./services.js";
import type { TestSocket } from "./sockets.js";

/** What `twoNodes` sets up: read its fields inside tests (they are filled in `beforeAll`). */
export interface TwoNodes {
  a: TestServer;
  b: TestServer;
  gym: GymFixture;
  /** Sockets pushed here are closed after the suite. */
  sockets: TestSocket[];
}

/**
 * Two Spotter nodes (`<name>-a`, `<name>-b`) on a fresh database and the shared Redis, with a gym of
 * `members` made through node A (`extra`: more settings for node A or B). Call inside a `describe` that is skipped when either service is missing.
 */
export function twoNodes(
  pg: Service,
  redis: Service,
  name: string,
  members: number,
  extra: { a?: Record<string, string>; b?: Record<string, string> } = {},
): TwoNodes {
  const nodes = { sockets: [] } as unknown as TwoNodes;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(pg.url!, { migrated: true });
    const env = { DATABASE_URL: db.url, REDIS_URL: redis.url!, SPOTTER_MODE: "embedded", JWT_SECRET: name.charAt(0).repeat(40) };
    nodes.a = await startTestServer({ ...env, ...extra.a, NODE_ID: `${name}-a` });
    nodes.b = await startTestServer({ ...env, ...extra.b, NODE_ID: `${name}-b` });
    nodes.gym = await aGym(nodes.a.server.db.orm, { members });
  }, 60_000);
  afterAll(async () => {
    for (const s of nodes.sockets) s.close();
    await nodes.a?.cleanup();
    await nodes.b?.cleanup();
    await db?.drop();
  });
  return nodes;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A redis-server of this test's own (so restarting it disturbs no other suite). */
export async function privateRedis(port: number): Promise<{ url: string; stop(): Promise<void>; start(): Promise<void> }> {
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      try {
        await new Promise<void>((resolve, reject) => {
          const s = createServer();
          s.once("error", () => resolve());
          s.listen(port, "127.0.0.1", () => s.close(() => reject(new Error("not up"))));
        });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error("private redis-server did not start");
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    c.kill("SIGKILL");
    await new Promise((r) => c.once("exit", r));
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}

/** One member's connection that moves to another node when its node dies, and retries a command until it has a definite answer. */
export class RetryingClient {
  private socket: Socket | null = null;
  private at = -1;
  attempts = 0;

  constructor(
    private readonly urls: () => string[],
    private readonly token: string,
    private readonly home: number,
  ) {}

  private connect(index: number): Socket {
    const urls = this.urls();
    const url = urls[index % urls.length]!;
    this.socket?.close();
    this.socket = io(url, { auth: { token: this.token }, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 5_000 });
    this.at = index;
    return this.socket;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Sends until the answer is not retryable (or 60 attempts). Moves to the next node after a failure.
   * One command at a time per client, as one member's app does (two at once raced to replace the socket,
   * and a command waiting on the replaced, never-connecting socket hung).
   */
  command(room: string, type: string, payload: unknown, commandId: string): Promise<Ack<unknown>> {
    const run = this.queue.then(() => this.send(room, type, payload, commandId));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(room: string, type: string, payload: unknown, commandId: string): Promise<Ack<unknown>> {
    let index = this.at < 0 ? this.home : this.at;
    for (let attempt = 0; attempt < 60; attempt++) {
      this.attempts += 1;
      const socket = this.socket && this.at === index && this.socket.connected ? this.socket : this.connect(index);
      try {
        if (!socket.connected) {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("connect timeout")), 10_000);
            socket.once("connect", () => {
              clearTimeout(timer);
              resolve();
            });
            socket.once("connect_error", (e) => {
              clearTimeout(timer);
              reject(e);
            });
          });
        }
        const ack = (await socket.timeout(8_000).emitWithAck("command", { commandId, room, type, payload })) as Ack<unknown>;
        if (ack.ok || ack.error.code !== "UNAVAILABLE") return ack;
        await new Promise((r) => setTimeout(r, Math.min(ack.error.retryAfterMs ?? 200, 1_000)));
      } catch {
        index += 1;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`no definite answer for ${type} ${commandId}`);
  }

  close(): void {
    this.socket?.close();
  }
}
