/**
 * Smoke check of the real entry point, as a separate process:
 *   node --import tsx scripts/smoke.ts [--runtime node|deno]
 * Starts `server/main.ts` in embedded mode (fresh temp DATA_DIR, PORT=0), checks /health, /ready and a
 * Socket.IO websocket handshake with a demo token, then sends SIGTERM and expects exit status 0.
 * `--runtime deno` runs it as `deno run -A server/main.ts` (node:http transport).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { io } from "socket.io-client";
import { devSecret, signToken } from "../server/auth.js";
import { denoCommand, nodeCommand, serverEnv, startServerProcess, type ServerProcess } from "./lib/serverProcess.js";

const { values } = parseArgs({ options: { runtime: { type: "string", default: "node" } } });
const runtime = values.runtime;
if (runtime !== "node" && runtime !== "deno") {
  console.error("usage: scripts/smoke.ts [--runtime node|deno]");
  process.exit(2);
}

const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await run();
  console.log(`smoke[${runtime}]: ${name} ok (${Math.round(performance.now() - started)} ms)`);
  return result;
};

async function getJson(url: string, expectedStatus: number): Promise<Record<string, unknown>> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== expectedStatus) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function handshake(server: ServerProcess, secret: string): Promise<string> {
  const socket = io(server.url, {
    transports: ["websocket"],
    auth: { token: await signToken(secret, randomUUID()) },
    reconnection: false,
    timeout: 5_000,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return socket.io.engine.transport.name;
  } finally {
    socket.disconnect();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), "spotter-smoke-"));
let server: ServerProcess | undefined;
let failed = false;
try {
  const command = runtime === "deno" ? denoCommand : nodeCommand;
  server = await startServerProcess(command, serverEnv({ DATA_DIR: dataDir, PORT: "0" }));
  console.log(`smoke[${runtime}]: start ok (${Math.round(server.startMs)} ms, ${server.url})`);
  const live = server;
  await step("/health", async () => {
    const body = await getJson(`${live.url}/health`, 200);
    if (body.status !== "ok") throw new Error(`/health: ${JSON.stringify(body)}`);
  });
  await step("/ready", async () => {
    const body = await getJson(`${live.url}/ready`, 200);
    if (body.ready !== true) throw new Error(`/ready: ${JSON.stringify(body)}`);
  });
  await step("socket.io handshake", async () => {
    const transport = await handshake(live, devSecret(dataDir));
    if (transport !== "websocket") throw new Error(`connected over ${transport}, not websocket`);
  });
  const exit = await step("SIGTERM", () => live.stop("SIGTERM", 10_000));
  server = undefined;
  if (exit.code !== 0) throw new Error(`exit status ${exit.code} (signal ${exit.signal}) after SIGTERM\n${exit.stderr}`);
} catch (err) {
  failed = true;
  console.error(`smoke[${runtime}]: FAILED: ${(err as Error).message}`);
  if (server) {
    const { stdout, stderr } = server.output();
    console.error(`--- server stdout ---\n${stdout}\n--- server stderr ---\n${stderr}`);
    await server.stop("SIGKILL", 1_000);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
