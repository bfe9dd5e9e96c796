/**
 * The Redis a bench process uses: its own `redis-server` on a free loopback port (no persistence), so two benches
 * running at once never share room leases, node channels or Socket.IO channels — their seeded ids are the same (a
 * fixed seed per scenario), so on one shared Redis their servers would claim each other's rooms. REDIS_URL, when
 * set, is used as is; without a `redis-server` binary the local default is used and a warning is printed.
 */
import { spawn, spawnSync } from "node:child_process";
import { createConnection } from "node:net";
import { freePort } from "./procs.js";

const SHARED = "redis://127.0.0.1:6379";

export interface BenchRedis {
  url: string;
  stop(): void;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: "127.0.0.1" }, () => s.write("PING\r\n"));
    s.once("data", (d) => {
      s.destroy();
      resolve(d.toString().startsWith("+PONG"));
    });
    s.once("error", () => resolve(false));
  });
}

export async function benchRedis(log: (m: string) => void = console.error): Promise<BenchRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: () => undefined };
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    log(`no redis-server binary: using the shared ${SHARED} (a bench running at the same time would share its keys)`);
    return { url: SHARED, stop: () => undefined };
  }
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  const stop = () => void child.kill("SIGTERM");
  process.once("exit", stop);
  // A bench killed by a signal (not its process group) would leave its redis-server behind: stop it, then exit.
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
    ["SIGHUP", 129],
  ] as const)
    process.once(signal, () => {
      stop();
      process.exit(code);
    });
  for (let i = 0; i < 100; i++) {
    if (await answers(port)) return { url: `redis://127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  stop();
  throw new Error(`bench: redis-server on port ${port} did not answer within 5 s`);
}
