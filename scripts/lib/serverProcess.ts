/**
 * Runs `server/main.ts` as a separate process (Node or Deno), for the smoke check, the Deno check
 * and the process-level tests. The port comes from the JSON log line "spotter listening".
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root (commands run from here so `tsx` and `node_modules` resolve). */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Node flags of a production server, from package.json `config.nodeFlags` — the one place `npm start` takes them from
 * too (README "Configuration", docs/benchmarks.md "Warm storm CPU").
 */
export const productionNodeFlags: string[] = (
  (JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as { config?: { nodeFlags?: string } }).config?.nodeFlags ?? ""
)
  .split(" ")
  .filter(Boolean);

export const nodeCommand = [process.execPath, ...productionNodeFlags, "--import", "tsx", "server/main.ts"];
export const denoBinary = `${repoRoot}node_modules/@deno/linux-x64-glibc/deno`;
export const denoCommand = [denoBinary, "run", "-A", "server/main.ts"];

/** A minimal environment: no DATABASE_URL, REDIS_URL or NODE_OPTIONS leaks in from the caller's shell. */
export function serverEnv(vars: Record<string, string>): Record<string, string> {
  const keep: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "DENO_DIR"]) {
    const value = process.env[name];
    if (value !== undefined) keep[name] = value;
  }
  return { ...keep, LOG_LEVEL: "info", ...vars };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawns from the repository root, collects output, and never leaves an orphan when this process ends first. */
function spawnTracked(command: string[], env: Record<string, string>) {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (s: string) => (out.stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (out.stderr += s));
  const killChild = () => child.kill("SIGKILL");
  process.once("exit", killChild);
  const done = new Promise<Exit>((resolve) => {
    child.once("close", (code, signal) => {
      process.off("exit", killChild);
      resolve({ code, signal, ...out, ms: performance.now() - started });
    });
  });
  return { child, out, done, started };
}

/** Runs a command to its end (killed after `timeoutMs`). */
export async function runToExit(command: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Exit> {
  const { child, done } = spawnTracked(command, env);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

/** A started server process. */
export interface ServerProcess {
  port: number;
  url: string;
  pid: number;
  /** Milliseconds from spawn to the "listening" log line. */
  startMs: number;
  output(): { stdout: string; stderr: string };
  /** Resolves once stdout contains `text`; rejects after `timeoutMs` or when the process exits first. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and waits for the exit; SIGKILLs after `timeoutMs` (then `code` is null). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

/** Spawns the server and resolves once it logs its port; rejects (and kills it) if it exits or stays silent. */
export async function startServerProcess(command: string[], env: Record<string, string>, startTimeoutMs = 60_000): Promise<ServerProcess> {
  const { child, out, done, started } = spawnTracked(command, env);
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`server did not log its port within ${startTimeoutMs} ms\n${out.stdout}\n${out.stderr}`));
    }, startTimeoutMs);
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const port = listeningPort(line);
        if (port !== undefined) {
          clearTimeout(timer);
          resolve(port);
        }
      }
    });
    void done.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${exit.code}, signal ${exit.signal}) before listening\n${exit.stdout}\n${exit.stderr}`));
    });
  });
  const startMs = performance.now() - started;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    startMs,
    output: () => ({ ...out }),
    waitForOutput: (text, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => finish(new Error(`no "${text}" on stdout within ${timeoutMs} ms`)), timeoutMs);
        const check = () => (out.stdout.includes(text) ? finish() : undefined);
        const exitedFirst = () => finish(new Error(`exited before printing "${text}"`));
        function finish(err?: Error) {
          clearTimeout(deadline);
          child.stdout.off("data", check);
          child.off("close", exitedFirst);
          if (err) reject(err);
          else resolve();
        }
        child.stdout.on("data", check);
        child.once("close", exitedFirst);
        check();
      }),
    stop: async (signal = "SIGTERM", timeoutMs = 10_000) => {
      const sentAt = performance.now();
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      const exit = await done;
      clearTimeout(timer);
      return { ...exit, ms: performance.now() - sentAt };
    },
  };
}

function listeningPort(line: string): number | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return entry.msg === "spotter listening" && typeof entry.port === "number" ? entry.port : undefined;
  } catch {
    return undefined;
  }
}
