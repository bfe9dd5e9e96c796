/**
 * Uploads are checked before they are read (issue 18, security), on both transports: a client that declares a large
 * body and sends only its first piece gets its 401, 403, 429 or 413 while it is still sending — so the server answered
 * without waiting for (or buffering) the rest — and the connection is closed after the answer. A body past the cap
 * without a declared length (chunked) is refused at the cap, before its end. An upload arriving in many pieces imports.
 * Sign-in and role are checked again once the body is read (an admin removed mid-upload imports nothing), a body has
 * a total read deadline, a pushed body never pauses or resumes an aborted response, and a client dropping mid-upload
 * is not logged as a server error.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { IMPORT_PATH, MAX_PHOTO_BYTES, MAX_UPLOAD_BYTES, PHOTO_PATH } from "../../../server/http/router.js";
import { BodyTimedOut, PushedBody, UploadBody } from "../../../server/http/uploadBody.js";
import { createLogger } from "../../../server/logger.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

interface Answer {
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
function partialPost(
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

const KIB = 1024;
const csvPiece = (bytes: number) => new TextEncoder().encode(`Email,First Name\r\n${"x".repeat(bytes - 18)}`);

describe.each(["uws", "node"] as const)("uploads on TRANSPORT=%s", (transport) => {
  let t: TestServer;
  let gym: GymFixture;
  let port: number;
  const logs: string[] = [];
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    const log = createLogger("warn", "test", { write: (line: string) => void logs.push(line) });
    t = await startTestServer({ TRANSPORT: transport }, { log });
    gym = await aGym(t.server.db.orm, { members: 3 });
    port = Number(new URL(t.server.url).port);
  }, 60_000);
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  const token = (userId: string) => signToken(t.server.jwtSecret!, userId);
  const importTarget = (query = "") => `${IMPORT_PATH}?gym=${gym.gymId}${query}`;
  const app = { "x-spotter": "1", "content-type": "text/csv" };

  it("refuses an upload without sign-in (401) after its first piece, and closes the connection", async () => {
    const declared = 8_000_000;
    const res = await partialPost(port, importTarget(), { ...app, "content-length": String(declared) }, [csvPiece(64 * KIB)]);
    expect(res.status).toBe(401);
    expect(res.sent).toBeLessThan(declared);
    await res.closed;
    // The node serves the next client as before.
    expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
  });

  it("refuses a member's import (403) and a declared size past the cap (413) before reading the body", async () => {
    const member = await token(gym.members[0]!.id);
    const forbidden = await partialPost(
      port,
      importTarget(),
      { ...app, authorization: `Bearer ${member}`, "content-length": String(4_000_000) },
      [csvPiece(64 * KIB)],
    );
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ error: { code: "FORBIDDEN" } });
    await forbidden.closed;

    const owner = await token(gym.ownerId);
    const declared = MAX_UPLOAD_BYTES + 1;
    const tooBig = await partialPost(
      port,
      importTarget(),
      { ...app, authorization: `Bearer ${owner}`, "content-length": String(declared) },
      [csvPiece(64 * KIB)],
    );
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    await tooBig.closed;
  });

  it("refuses a member's photo past their budget (429 with Retry-After) before reading it", async () => {
    const member = gym.members[1]!.id;
    const auth = { authorization: `Bearer ${await token(member)}`, "x-spotter": "1", "content-type": "image/png" };
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const url = `${t.server.url}${PHOTO_PATH}?gym=${gym.gymId}&member=${member}`;
    for (let i = 0; i < 3; i++) expect((await fetch(url, { method: "POST", headers: auth, body: png })).status).toBe(200);
    const limited = await partialPost(
      port,
      `${PHOTO_PATH}?gym=${gym.gymId}&member=${member}`,
      { ...auth, "content-length": String(MAX_PHOTO_BYTES) },
      [png],
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    await limited.closed;
  });

  it("refuses an owner's import past its commit budget (429) before reading the file", async () => {
    const owner = await token(gym.ownerId);
    const headers = { ...app, authorization: `Bearer ${owner}` };
    // Ten writing imports in a row are allowed (each spends the budget, even a file refused in words)...
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${t.server.url}${importTarget("&commit=1")}`, { method: "POST", headers, body: "Email\r\n" });
      expect(res.status).toBe(400);
    }
    // ...the eleventh waits, answered after its first piece.
    const limited = await partialPost(port, importTarget("&commit=1"), { ...headers, "content-length": String(4_000_000) }, [
      csvPiece(64 * KIB),
    ]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    await limited.closed;
  });

  it("refuses a body past the cap with no declared length (chunked) at the cap, before its end", async () => {
    const owner = await token(gym.ownerId);
    const pieces = Array.from({ length: MAX_UPLOAD_BYTES / (64 * KIB) + 2 }, () => csvPiece(64 * KIB));
    const res = await partialPost(port, importTarget(), { ...app, authorization: `Bearer ${owner}` }, pieces, true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    await res.closed;
    const desk = await token(gym.deskId);
    const photo = await partialPost(
      port,
      `${PHOTO_PATH}?gym=${gym.gymId}&member=${gym.members[0]!.id}`,
      { authorization: `Bearer ${desk}`, "x-spotter": "1", "content-type": "image/png" },
      Array.from({ length: MAX_PHOTO_BYTES / (64 * KIB) + 2 }, () => new Uint8Array(64 * KIB).fill(0x89)),
      true,
    );
    expect(photo.status).toBe(413);
    expect(JSON.parse(photo.body)).toMatchObject({ error: { message: expect.stringContaining("A photo can be up to 512 KB") } });
    await photo.closed;
  });

  it("imports a file arriving in many small pieces (a character and a line break split between them)", async () => {
    const owner = await token(gym.ownerId);
    const file = new TextEncoder().encode(
      '\uFEFFFirst Name,Last Name,Email\r\nZoë,Stream,zoe.stream@example.com\r\n"Lee, Ann",Stream,ann.stream@example.com\r\n',
    );
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < file.byteLength; i += 5) pieces.push(file.subarray(i, i + 5));
    const res = await partialPost(
      port,
      importTarget(),
      { ...app, authorization: `Bearer ${owner}`, "content-length": String(file.byteLength) },
      pieces,
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({
      rows: 2,
      columns: ["First Name", "Last Name", "Email"],
      sample: [
        ["Zoë", "Stream", "zoe.stream@example.com"],
        ["Lee, Ann", "Stream", "ann.stream@example.com"],
      ],
      counts: { add: 2 },
      errorCount: 0,
      committed: false,
    });
  });

  it("regression: a client dropping mid-upload was logged as a server error on node — quiet on both transports", async () => {
    const owner = await token(gym.ownerId);
    let drop!: (v: "drop") => void;
    void partialPost(
      port,
      importTarget(),
      { ...app, authorization: `Bearer ${owner}`, "content-length": String(4_000_000) },
      [csvPiece(64 * KIB)],
      false,
      new Promise((resolve) => (drop = resolve)),
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the route is reading the body
    drop("drop");
    await new Promise((resolve) => setTimeout(resolve, 500)); // the route has seen the client go
    expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
    expect(logs.filter((l) => l.includes("http handler failed"))).toEqual([]);
  });

  it("regression: an admin removed while the upload trickled still imported — checked again after the body, nothing imported", async () => {
    const adminId = gym.members[2]!.id;
    const owner = await sockets.connect(gym.ownerId);
    const gymRoom = `gym:${gym.gymId}`;
    expect(await owner.command(gymRoom, "gym:setMembership", { memberId: adminId, role: "admin" })).toMatchObject({ ok: true });
    const file = new TextEncoder().encode("Email,First Name\r\nrevoked.admin.import@example.com,Rev\r\n");
    const [head, rest] = [file.subarray(0, 18), file.subarray(18)];
    let revoked!: (more: Uint8Array[]) => void;
    const answer = partialPost(
      port,
      importTarget("&commit=1&invite=1"),
      { ...app, authorization: `Bearer ${await token(adminId)}`, "content-length": String(file.byteLength) },
      [head],
      false,
      new Promise((resolve) => (revoked = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // checked at the start, reading the body
    expect(await owner.command(gymRoom, "gym:setMembership", { memberId: adminId, status: "frozen" })).toMatchObject({ ok: true });
    revoked([rest]);
    const res = await answer;
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "FORBIDDEN" } });
    // Nothing imported: the owner's dry run of the same file still adds the member.
    const dry = await fetch(`${t.server.url}${importTarget()}`, {
      method: "POST",
      headers: { ...app, authorization: `Bearer ${await token(gym.ownerId)}` },
      body: file,
    });
    expect(await dry.json()).toMatchObject({ counts: { add: 1 }, committed: false });

    // A desk whose access ends while the photo arrives saves nothing either.
    const member = gym.members[0]!.id;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    let deskRevoked!: (more: Uint8Array[]) => void;
    const photo = partialPost(
      port,
      `${PHOTO_PATH}?gym=${gym.gymId}&member=${member}`,
      { authorization: `Bearer ${await token(gym.deskId)}`, "x-spotter": "1", "content-type": "image/png", "content-length": "12" },
      [png.subarray(0, 8)],
      false,
      new Promise((resolve) => (deskRevoked = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await owner.command(gymRoom, "gym:setMembership", { memberId: gym.deskId, status: "frozen" })).toMatchObject({ ok: true });
    deskRevoked([png.subarray(8)]);
    expect((await photo).status).toBe(404);
    const saved = await fetch(`${t.server.url}${PHOTO_PATH}?gym=${gym.gymId}&member=${member}`, {
      headers: { authorization: `Bearer ${await token(gym.ownerId)}` },
    });
    expect(saved.status).toBe(404);
  });
});

describe("an upload's body", () => {
  it("regression: a trickled body had no total deadline — refused with BodyTimedOut, not complete", async () => {
    async function* trickle(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      await new Promise(() => undefined); // the rest never comes
    }
    const body = new UploadBody(trickle(), 1_000, 50);
    await expect(body.bytes()).rejects.toBeInstanceOf(BodyTimedOut);
    expect(body.complete).toBe(false);
  });

  it("regression: pieces queued before an abort resumed the aborted uWS response — never paused or resumed after it", async () => {
    const calls: string[] = [];
    let aborted = false;
    const flow = {
      pause: () => void calls.push("pause"),
      resume: () => {
        if (aborted) throw new Error("Invalid access of discarded or aborted uWS.HttpResponse");
        calls.push("resume");
      },
    };
    const body = new PushedBody(flow, 4);
    body.push(new Uint8Array(8), false);
    aborted = true;
    body.fail(new Error("the client went away mid-upload"));
    const read: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const piece of body) read.push(piece);
      })(),
    ).rejects.toThrow("the client went away mid-upload");
    expect(read).toHaveLength(1);
    expect(calls).toEqual(["pause"]);
  });
});
