/**
 * Load-generator processes: the harness starts each worker as its own Node process (optionally
 * pinned to cores with `taskset`) and calls its methods over the IPC channel, one call at a time.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cpuSeconds, pinned } from "./procs.js";

type Methods = Record<string, (args: never) => unknown>;

interface Call {
  id: number;
  method: string;
  args: unknown;
}
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** A running worker process. */
export interface Worker {
  pid: number;
  call<T>(method: string, args?: unknown, timeoutMs?: number): Promise<T>;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** Starts `scripts/bench/workers/<name>.ts` on `cpus` (e.g. "1"; undefined = not pinned). */
export function startWorker(name: string, cpus: string | undefined, env: Record<string, string> = {}): Worker {
  const file = fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));
  const [cmd, ...args] = pinned(cpus, [process.execPath, "--max-old-space-size=4096", "--import", "tsx", file]);
  const child: ChildProcess = spawn(cmd!, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let exited = false;
  child.on("message", (m: Reply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.value);
    else w.reject(new Error(`worker ${name}: ${m.error}`));
  });
  child.on("exit", (code, signal) => {
    exited = true;
    for (const w of waiting.values()) w.reject(new Error(`worker ${name} exited (${code ?? signal})`));
    waiting.clear();
  });
  return {
    pid: child.pid!,
    call: <T>(method: string, callArgs?: unknown, timeoutMs = 600_000) =>
      new Promise<T>((resolve, reject) => {
        if (exited) {
          reject(new Error(`worker ${name} is not running`));
          return;
        }
        const id = next++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`worker ${name}: ${method} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        child.send({ id, method, args: callArgs } satisfies Call);
      }),
    cpuSeconds: () => cpuSeconds(child.pid!),
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Worker side: answers calls with `methods`; exits when the harness disconnects. */
export function serve(methods: Methods): void {
  process.on("message", (m: Call) => {
    const fn = methods[m.method];
    const reply = (r: Reply): void => void process.send?.(r);
    if (!fn) {
      reply({ id: m.id, ok: false, error: `no method ${m.method}` });
      return;
    }
    Promise.resolve()
      .then(() => fn(m.args as never))
      .then(
        (value) => reply({ id: m.id, ok: true, value }),
        (err: unknown) => reply({ id: m.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
      );
  });
  process.on("disconnect", () => process.exit(0));
}

/** Runs several calls at once and waits for all. */
export function all<T>(workers: Worker[], method: string, args: (i: number) => unknown, timeoutMs?: number): Promise<T[]> {
  return Promise.all(workers.map((w, i) => w.call<T>(method, args(i), timeoutMs)));
}
