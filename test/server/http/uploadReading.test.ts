/**
 * Uploads as they are read (issue 18, security), on both transports: an upload arriving in many pieces imports; sign-in
 * and role are checked again once the body is read (an admin removed mid-upload imports nothing); a client dropping
 * mid-upload is not logged as a server error; a body has a total read deadline, and a pushed body never pauses or
 * resumes an aborted response. (Refusals before a body is read: `uploadRefusals.test.ts`.)
 */
import { describe, expect, it } from "vitest";
import { PHOTO_PATH } from "../../../server/http/router.js";
import { BodyTimedOut, PushedBody, UploadBody } from "../../../server/http/uploadBody.js";
import { csvPiece, KIB, partialPost, uploadSuite } from "../../support/uploads.js";

describe.each(["uws", "node"] as const)("uploads read on TRANSPORT=%s", (transport) => {
  const { s, logs, port, token, importTarget, app } = uploadSuite(transport);

  it("imports a file arriving in many small pieces (a character and a line break split between them)", async () => {
    const owner = await token(s.gym.ownerId);
    const file = new TextEncoder().encode(
      '\uFEFFFirst Name,Last Name,Email\r\nZoë,Stream,zoe.stream@example.com\r\n"Lee, Ann",Stream,ann.stream@example.com\r\n',
    );
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < file.byteLength; i += 5) pieces.push(file.subarray(i, i + 5));
    const res = await partialPost(
      port(),
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
    const owner = await token(s.gym.ownerId);
    let drop!: (v: "drop") => void;
    void partialPost(
      port(),
      importTarget(),
      { ...app, authorization: `Bearer ${owner}`, "content-length": String(4_000_000) },
      [csvPiece(64 * KIB)],
      false,
      new Promise((resolve) => (drop = resolve)),
    ).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the route is reading the body
    drop("drop");
    await new Promise((resolve) => setTimeout(resolve, 500)); // the route has seen the client go
    expect((await fetch(`${s.t.server.url}/health`)).status).toBe(200);
    expect(logs.filter((l) => l.includes("http handler failed"))).toEqual([]);
  });

  it("regression: an admin removed while the upload trickled still imported — checked again after the body, nothing imported", async () => {
    const adminId = s.gym.members[2]!.id;
    const owner = await s.sockets.connect(s.gym.ownerId);
    const gymRoom = `gym:${s.gym.gymId}`;
    expect(await owner.command(gymRoom, "gym:setMembership", { memberId: adminId, role: "admin" })).toMatchObject({ ok: true });
    const file = new TextEncoder().encode("Email,First Name\r\nrevoked.admin.import@example.com,Rev\r\n");
    const [head, rest] = [file.subarray(0, 18), file.subarray(18)];
    let revoked!: (more: Uint8Array[]) => void;
    const answer = partialPost(
      port(),
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
    const dry = await fetch(`${s.t.server.url}${importTarget()}`, {
      method: "POST",
      headers: { ...app, authorization: `Bearer ${await token(s.gym.ownerId)}` },
      body: file,
    });
    expect(await dry.json()).toMatchObject({ counts: { add: 1 }, committed: false });

    // A desk whose access ends while the photo arrives saves nothing either.
    const member = s.gym.members[0]!.id;
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    let deskRevoked!: (more: Uint8Array[]) => void;
    const photo = partialPost(
      port(),
      `${PHOTO_PATH}?gym=${s.gym.gymId}&member=${member}`,
      { authorization: `Bearer ${await token(s.gym.deskId)}`, "x-spotter": "1", "content-type": "image/png", "content-length": "12" },
      [png.subarray(0, 8)],
      false,
      new Promise((resolve) => (deskRevoked = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await owner.command(gymRoom, "gym:setMembership", { memberId: s.gym.deskId, status: "frozen" })).toMatchObject({ ok: true });
    deskRevoked([png.subarray(8)]);
    expect((await photo).status).toBe(404);
    const saved = await fetch(`${s.t.server.url}${PHOTO_PATH}?gym=${s.gym.gymId}&member=${member}`, {
      headers: { authorization: `Bearer ${await token(s.gym.ownerId)}` },
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
