/**
 * Waiver reminders (issue 18): staff remind who hasn't signed the version in force; each member gets a notice in words,
 * at most once a day; a retry sends nothing twice; the reminder is audited.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

describe("waiver reminders", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 3 });
  });
  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
  });

  const notices = (memberId: string) =>
    t.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ text: string }[]>(`select text from notice where user_id = ? and text like 'Please sign%'`, [memberId]);

  it("says so when no waiver is in force", async () => {
    const desk = await sockets.connect(gym.deskId);
    expect(await desk.command(`gym:${gym.gymId}`, "gym:remindWaiver", {})).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND", message: expect.stringContaining("publish one first") },
    });
  });

  it("reminds every unsigned member once a day, skips who signed, and a retry sends nothing twice", async () => {
    const room = `gym:${gym.gymId}`;
    const owner = await sockets.connect(gym.ownerId);
    expect(
      await owner.command(room, "gym:publishWaiver", {
        title: "Liability waiver",
        version: "r1",
        text: "I train at my own risk and tell the coach about injuries.",
      }),
    ).toMatchObject({ ok: true });
    const [a, b, signer] = gym.members.map((m) => m.id);
    const signed = await sockets.connect(signer!);
    expect(await signed.command(room, "gym:signWaiver", { version: "r1", typedName: gym.members[2]!.name, agree: true })).toMatchObject({
      ok: true,
    });

    const desk = await sockets.connect(gym.deskId);
    const commandId = randomUUID();
    const first = await desk.command(room, "gym:remindWaiver", {}, commandId);
    expect(first).toMatchObject({ ok: true, result: { reminded: 2, skipped: 0 } });
    expect(await desk.command(room, "gym:remindWaiver", {}, commandId)).toMatchObject({ ok: true, result: { reminded: 2 } });
    expect(await notices(a!)).toEqual([
      { text: "Please sign the gym's Liability waiver (version r1) in the app — it takes a minute, and you need it to train." },
    ]);
    expect(await notices(b!)).toHaveLength(1);
    expect(await notices(signer!)).toHaveLength(0);
    // Again the same day: nobody is reminded twice.
    expect(await desk.command(room, "gym:remindWaiver", { memberIds: [a!] })).toMatchObject({
      ok: true,
      result: { reminded: 0, skipped: 1 },
    });
    expect(await notices(a!)).toHaveLength(1);
    const audit = await t.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(`select count(*)::int as n from audit_log where gym_id = ? and action = 'gym:remindWaiver'`, [gym.gymId]);
    expect(audit[0]!.n).toBe(2);
    const member = await sockets.connect(a!);
    expect(await member.command(room, "gym:remindWaiver", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});
