/**
 * Issue 18 "Policies and waivers": a gym keeps more than one document (a liability waiver and house rules), each with
 * its own versions, and "required for booking" is a property of each published version. Booking requires acceptance
 * of the version in force of every document whose version in force requires it; staff see who hasn't accepted each
 * and remind them of one. Over real sockets on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLogEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import type { PublicGymView } from "../../../domain/views/gymView.js";
import { eventually, suiteSockets, watchRoom, type TestSocket } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const DAY = 86_400_000;
const WAIVER = "I train at my own risk and tell the coach about injuries before class.";
const RULES = "Re-rack your weights, wipe the benches, and be on time for class.";

describe("policy documents with per-version requirements", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  let owner: TestSocket;
  let room: string;
  const em = () => t.server.db.orm.em.fork();

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "d".repeat(40) });
    gym = await aGym(t.server.db.orm, { members: 3 });
    room = `gym:${gym.gymId}`;
    owner = await sockets.connect(gym.ownerId);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("refuses booking until the member accepts the house rules required to book, while the waiver (not required) does not stop them", async () => {
    expect(
      await owner.command(room, "gym:publishWaiver", { title: "Liability waiver", version: "w-1", text: WAIVER, required: "off" }),
    ).toMatchObject({ ok: true, result: { document: "waiver", required: "off" } });
    expect(
      await owner.command(room, "gym:publishWaiver", {
        document: "house-rules",
        title: "House rules",
        version: "rules-1",
        text: RULES,
        required: "booking",
      }),
    ).toMatchObject({ ok: true, result: { document: "house-rules", version: "rules-1", required: "booking" } });
    expect(
      await owner.command(room, "gym:publishWaiver", { document: "House Rules!", title: "x", version: "x-1", text: RULES }),
    ).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { document: expect.any(String) } } });
    expect(await em().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:publishWaiver" })).toBe(2);

    const m = gym.members[0]!;
    const s = await sockets.connect(m.id);
    expect(await s.command(room, "gym:waiver", {})).toMatchObject({
      ok: true,
      result: {
        current: { version: "w-1" },
        documents: [
          { document: "waiver", title: "Liability waiver", required: "off", current: { version: "w-1", signedAt: null } },
          {
            document: "house-rules",
            title: "House rules",
            required: "booking",
            current: { version: "rules-1", text: RULES, signedAt: null },
          },
        ],
      },
    });
    const cls = await gym.addSession({ startsAt: Date.now() + 2 * DAY, endsAt: Date.now() + 2 * DAY + 3_600_000 });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: false,
      error: { code: "WAIVER_REQUIRED" },
    });
    expect(await s.command(room, "gym:signWaiver", { version: "rules-1", typedName: "Member Zero", agree: true })).toMatchObject({
      ok: true,
      result: { version: "rules-1" },
    });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
  });

  it("shows staff who hasn't accepted each document, and reminds them of one document", async () => {
    const status = await owner.command(room, "gym:waiverStatus", {});
    expect(status).toMatchObject({ ok: true, result: { current: { version: "w-1" }, unsignedTotal: 3 } });
    const docs = (status as { result: { documents: { document: string; unsignedTotal: number; unsigned: { memberId: string }[] }[] } })
      .result.documents;
    expect(docs.map((d) => [d.document, d.unsignedTotal])).toEqual([
      ["waiver", 3],
      ["house-rules", 2],
    ]);
    expect(docs[1]!.unsigned.map((u) => u.memberId)).not.toContain(gym.members[0]!.id);
    expect(await owner.command(room, "gym:remindWaiver", { document: "house-rules" })).toMatchObject({
      ok: true,
      result: { reminded: 2, skipped: 0 },
    });
    expect(await owner.command(room, "gym:remindWaiver", { document: "no-such-doc" })).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
  });

  it("stops requiring the house rules once a new version in force says they are not required to book", async () => {
    const m = gym.members[1]!;
    const s = await sockets.connect(m.id);
    const cls = await gym.addSession({ startsAt: Date.now() + 3 * DAY, endsAt: Date.now() + 3 * DAY + 3_600_000 });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: false,
      error: { code: "WAIVER_REQUIRED" },
    });
    expect(
      await owner.command(room, "gym:publishWaiver", {
        document: "house-rules",
        title: "House rules",
        version: "rules-2",
        text: `${RULES} Music volume is the coach's call.`,
        required: "off",
      }),
    ).toMatchObject({ ok: true });
    expect(await s.command(`class:${cls.id}`, "class:book", { sessionId: cls.id })).toMatchObject({
      ok: true,
      result: { status: "booked" },
    });
    // The old version's acceptance still stands as evidence; the new version is listed to accept.
    expect(await s.command(room, "gym:waiver", {})).toMatchObject({
      ok: true,
      result: { documents: [{ document: "waiver" }, { document: "house-rules", required: "off", current: { version: "rules-2" } }] },
    });
  });

  it("moves an open member app with one broadcast of the gym room: its public view names each document's newest version", async () => {
    const member = await sockets.connect(gym.members[2]!.id);
    const view = await watchRoom<PublicGymView>(member, room);
    const before = view().policies ?? {};
    expect(Object.keys(before)).toEqual(expect.arrayContaining(["waiver", "house-rules"]));
    expect(before["house-rules"]).toMatch(/^rules-2@\d+$/);
    expect(
      await owner.command(room, "gym:publishWaiver", { document: "house-rules", title: "House rules", version: "rules-3", text: RULES }),
    ).toMatchObject({ ok: true });
    await eventually(() => expect(view().policies?.["house-rules"]).toMatch(/^rules-3@\d+$/));
    // The other document's key is untouched: its members' apps have nothing new to read.
    expect(view().policies?.waiver).toBe(before.waiver);
  });
});
