/**
 * `npm run cluster -- --nodes 3 [--port 3000]` starts N Spotter nodes on consecutive ports against
 * DATABASE_URL and REDIS_URL (migrations applied first). Ctrl-C stops them gracefully.
 * `startNodes()` is also used by the multi-node tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { newSigningKeyPem } from "../server/checkin/codeKeys.js";
import { migrateUp, openDatabase } from "../server/db/orm.js";
import { productionNodeFlags } from "./lib/serverProcess.js";

export interface ClusterNode {
  id: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
}

export interface ClusterOptions {
  nodes: number;
  basePort: number;
  /** Explicit ports (one per node) instead of consecutive ones from `basePort`. */
  ports?: number[];
  databaseUrl: string;
  redisUrl: string;
  jwtSecret: string;
  /** The check-in code signing key every node shares (PKCS8 PEM). */
  checkinSigningKey?: string;
  env?: Record<string, string>;
  /** Where each node's output goes (default: inherited with a prefix). */
  output?: (node: string, line: string) => void;
}

/**
 * One check-in signing key for every node this process starts (also nodes restarted later): a code shown via one
 * node is scanned at a desk on another. CHECKIN_SIGNING_KEY when set, else generated once.
 */
const clusterSigningKey = process.env.CHECKIN_SIGNING_KEY ?? newSigningKeyPem();

/** Starts one node process and waits until it answers /health. */
export async function startNode(o: ClusterOptions, index: number): Promise<ClusterNode> {
  const id = `node-${index + 1}`;
  const port = o.ports?.[index] ?? o.basePort + index;
  const child = spawn(process.execPath, [...productionNodeFlags, "--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ID: id,
      DATABASE_URL: o.databaseUrl,
      REDIS_URL: o.redisUrl,
      JWT_SECRET: o.jwtSecret,
      CHECKIN_SIGNING_KEY: o.checkinSigningKey ?? clusterSigningKey,
      SPOTTER_MODE: "production",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = o.output ?? ((node, line) => console.log(`[${node}] ${line}`));
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = "";
    stream?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) out(id, line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${id} exited with ${child.exitCode} during start-up`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${id} did not answer /health within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { id, port, url, process: child, exited };
}

/** Applies migrations once, then starts the nodes in parallel. */
export async function startNodes(o: ClusterOptions): Promise<ClusterNode[]> {
  const db = await openDatabase({ kind: "postgres", url: o.databaseUrl }, 1);
  try {
    await migrateUp(db);
  } finally {
    await db.close();
  }
  return Promise.all(Array.from({ length: o.nodes }, (_, i) => startNode(o, i)));
}

/** SIGTERM every node and wait for them (SIGKILL after 15 s). */
export async function stopNodes(nodes: ClusterNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      if (n.process.exitCode !== null || n.process.signalCode !== null) return;
      n.process.kill("SIGTERM");
      const timer = setTimeout(() => n.process.kill("SIGKILL"), 15_000);
      await n.exited;
      clearTimeout(timer);
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { nodes: { type: "string", default: "3" }, port: { type: "string", default: "3000" } } });
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  const jwtSecret = process.env.JWT_SECRET;
  if (!databaseUrl || !redisUrl || !jwtSecret) {
    console.error("cluster: set DATABASE_URL, REDIS_URL and JWT_SECRET (>= 32 chars)");
    process.exit(2);
  }
  const nodes = await startNodes({ nodes: Number(values.nodes), basePort: Number(values.port), databaseUrl, redisUrl, jwtSecret });
  console.log(nodes.map((n) => `${n.id} ${n.url}`).join("\n"));
  const stop = () => void stopNodes(nodes).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
