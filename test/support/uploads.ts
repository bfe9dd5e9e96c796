/**
 * Uploads over a raw socket, for the upload suites (`test/server/http/upload*.test.ts`): a POST that sends only some
 * of its body, and one node per transport with a gym to upload to.
 */
import net from "node:net";
import { signToken } from "../../server/auth.js";
import { IMPORT_PATH } from "../../server/http/router.js";
import { createLogger } from "../../server/logger.js";
import { gymSuite, type GymSuite } from "./gymSuite.js";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Bytes of the body the client had written when the answer came (all it ever writes: it sends no more after). */
  sent: number;
  /** Resolves when the server closes the connection. */
  closed: Promise<void>;
}

/**
 * A POST that writes its head and the given pieces, then waits for the answer without ever finishing its body (a
 * `declared` length above what it sends, or chunked without the last chunk). A server that waits for the whole body
 * never answers (the test then times out and fails).
 */
export function partialPost(
  port: number,
  target: string,
  headers: Record<string, string>,
  pieces: Uint8Array[],
  chunked = false,
  /** More pieces written once this resolves ("drop": the client goes away instead). */
  later?: Promise<Uint8Array[] | "drop">,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let raw = Buffer.alloc(0);
    let sent = 0;
    let answered = false;
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("error", (err) => {
      // Writing into a connection the server closed after answering: expected once answered.
      if (!answered) reject(err);
    });
    socket.on("data", (data: Buffer) => {
      raw = Buffer.concat([raw, data]);
      const end = raw.indexOf("\r\n\r\n");
      if (end < 0 || answered) return;
      const [statusLine, ...lines] = raw.subarray(0, end).toString("latin1").split("\r\n");
      const head = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      const rest = raw.subarray(end + 4);
      const chunked = head["transfer-encoding"] === "chunked";
      if (chunked ? !rest.includes("0\r\n\r\n") : rest.length < Number(head["content-length"] ?? 0)) return;
      answered = true;
      const body = chunked ? unchunk(rest) : rest.subarray(0, Number(head["content-length"] ?? 0)).toString("utf8");
      resolve({ status: Number(statusLine!.split(" ")[1]), headers: head, body, sent, closed });
    });
    const lines = [`POST ${target} HTTP/1.1`, "Host: 127.0.0.1", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    if (chunked) lines.push("Transfer-Encoding: chunked");
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
    for (const piece of pieces) {
      if (chunked) socket.write(`${piece.byteLength.toString(16)}\r\n`);
      socket.write(piece);
      if (chunked) socket.write("\r\n");
      sent += piece.byteLength;
    }
    void later?.then((more) => {
      if (more === "drop") return void socket.destroy();
      for (const piece of more) socket.write(piece);
      sent += more.reduce((n, piece) => n + piece.byteLength, 0);
    });
  });
}

/** The body of a chunked answer (node:http sends one when the route set no length). */
function unchunk(raw: Buffer): string {
  const out: Buffer[] = [];
  for (let at = 0; ;) {
    const line = raw.indexOf("\r\n", at);
    const size = parseInt(raw.subarray(at, line).toString("latin1"), 16);
    if (!size) return Buffer.concat(out).toString("utf8");
    out.push(raw.subarray(line + 2, line + 2 + size));
    at = line + 2 + size + 2;
  }
}

export const KIB = 1024;
/** A piece of a CSV file of `bytes` bytes: its header line, then filler. */
export const csvPiece = (bytes: number) => new TextEncoder().encode(`Email,First Name\r\n${"x".repeat(bytes - 18)}`);

/** What an upload test needs of its node: the gym suite, the node's warnings, its port, tokens and the import route. */
export interface UploadSuite {
  s: GymSuite;
  /** The node's log lines (warn and up). */
  logs: string[];
  port(): number;
  token(userId: string): Promise<string>;
  /** The import route for the suite's gym, with `query` (say `&commit=1`) added. */
  importTarget(query?: string): string;
  /** The headers of a CSV upload from the apps. */
  app: Record<string, string>;
}

/** A node on `transport` with a gym of three members, for the calling `describe`. */
export function uploadSuite(transport: "uws" | "node"): UploadSuite {
  const logs: string[] = [];
  const log = createLogger("warn", "test", { write: (line: string) => void logs.push(line) });
  const s = gymSuite({ members: 3, env: { TRANSPORT: transport }, server: { log } });
  return {
    s,
    logs,
    port: () => Number(new URL(s.t.server.url).port),
    token: (userId) => signToken(s.t.server.jwtSecret!, userId),
    importTarget: (query = "") => `${IMPORT_PATH}?gym=${s.gym.gymId}${query}`,
    app: { "x-spotter": "1", "content-type": "text/csv" },
  };
}
