/**
 * Uploads are checked before they are read (issue 18, security), on both transports: a client that declares a large
 * body and sends only its first piece gets its 401, 403, 429 or 413 while it is still sending — so the server answered
 * without waiting for (or buffering) the rest — and the connection is closed after the answer. A body past the cap
 * without a declared length (chunked) is refused at the cap, before its end. (What happens once a body is read:
 * `uploadReading.test.ts`.)
 */
import { describe, expect, it } from "vitest";
import { MAX_PHOTO_BYTES, MAX_UPLOAD_BYTES, PHOTO_PATH } from "../../../server/http/router.js";
import { csvPiece, KIB, partialPost, uploadSuite } from "../../support/uploads.js";

describe.each(["uws", "node"] as const)("uploads refused before they are read on TRANSPORT=%s", (transport) => {
  const { s, port, token, importTarget, app } = uploadSuite(transport);

  it("refuses an upload without sign-in (401) after its first piece, and closes the connection", async () => {
    const declared = 8_000_000;
    const res = await partialPost(port(), importTarget(), { ...app, "content-length": String(declared) }, [csvPiece(64 * KIB)]);
    expect(res.status).toBe(401);
    expect(res.sent).toBeLessThan(declared);
    await res.closed;
    // The node serves the next client as before.
    expect((await fetch(`${s.t.server.url}/health`)).status).toBe(200);
  });

  it("refuses a member's import (403) and a declared size past the cap (413) before reading the body", async () => {
    const member = await token(s.gym.members[0]!.id);
    const forbidden = await partialPost(
      port(),
      importTarget(),
      { ...app, authorization: `Bearer ${member}`, "content-length": String(4_000_000) },
      [csvPiece(64 * KIB)],
    );
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toMatchObject({ error: { code: "FORBIDDEN" } });
    await forbidden.closed;

    const owner = await token(s.gym.ownerId);
    const declared = MAX_UPLOAD_BYTES + 1;
    const tooBig = await partialPost(
      port(),
      importTarget(),
      { ...app, authorization: `Bearer ${owner}`, "content-length": String(declared) },
      [csvPiece(64 * KIB)],
    );
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    await tooBig.closed;
  });

  it("refuses a member's photo past their budget (429 with Retry-After) before reading it", async () => {
    const member = s.gym.members[1]!.id;
    const auth = { authorization: `Bearer ${await token(member)}`, "x-spotter": "1", "content-type": "image/png" };
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const url = `${s.t.server.url}${PHOTO_PATH}?gym=${s.gym.gymId}&member=${member}`;
    for (let i = 0; i < 3; i++) expect((await fetch(url, { method: "POST", headers: auth, body: png })).status).toBe(200);
    const limited = await partialPost(
      port(),
      `${PHOTO_PATH}?gym=${s.gym.gymId}&member=${member}`,
      { ...auth, "content-length": String(MAX_PHOTO_BYTES) },
      [png],
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toMatchObject({ error: { code: "RATE_LIMITED" } });
    await limited.closed;
  });

  it("refuses an owner's import past its commit budget (429) before reading the file", async () => {
    const owner = await token(s.gym.ownerId);
    const headers = { ...app, authorization: `Bearer ${owner}` };
    // Ten writing imports in a row are allowed (each spends the budget, even a file refused in words)...
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${s.t.server.url}${importTarget("&commit=1")}`, { method: "POST", headers, body: "Email\r\n" });
      expect(res.status).toBe(400);
    }
    // ...the eleventh waits, answered after its first piece.
    const limited = await partialPost(port(), importTarget("&commit=1"), { ...headers, "content-length": String(4_000_000) }, [
      csvPiece(64 * KIB),
    ]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    await limited.closed;
  });

  it("refuses a body past the cap with no declared length (chunked) at the cap, before its end", async () => {
    const owner = await token(s.gym.ownerId);
    const pieces = Array.from({ length: MAX_UPLOAD_BYTES / (64 * KIB) + 2 }, () => csvPiece(64 * KIB));
    const res = await partialPost(port(), importTarget(), { ...app, authorization: `Bearer ${owner}` }, pieces, true);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    await res.closed;
    const desk = await token(s.gym.deskId);
    const photo = await partialPost(
      port(),
      `${PHOTO_PATH}?gym=${s.gym.gymId}&member=${s.gym.members[0]!.id}`,
      { authorization: `Bearer ${desk}`, "x-spotter": "1", "content-type": "image/png" },
      Array.from({ length: MAX_PHOTO_BYTES / (64 * KIB) + 2 }, () => new Uint8Array(64 * KIB).fill(0x89)),
      true,
    );
    expect(photo.status).toBe(413);
    expect(JSON.parse(photo.body)).toMatchObject({ error: { message: expect.stringContaining("A photo can be up to 512 KB") } });
    await photo.closed;
  });
});
