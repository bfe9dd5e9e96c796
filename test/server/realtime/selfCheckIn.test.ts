/**
 * Issue 14 item 8: members checked themselves in from anywhere and chose the recorded source ("door" for their
 * own phone). The server decides the source; member self check-in is a gym setting (off by default) that needs
 * the desk screen's rotating presence code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCodeKeyring, newSigningKeyPem } from "../../../server/checkin/codeKeys.js";
import { PRESENCE_WINDOW_MS, PresenceCodes } from "../../../server/checkin/presenceCodes.js";
import { AuditLogEntity, CheckInEntity, GymEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const MIN = 60_000;

describe("member self check-in", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  let presence: PresenceCodes;
  const sockets = suiteSockets(() => t.server);
  let next = 0;

  /** A member booked into a class whose check-in is open; their socket and the command to check in. */
  const bookedMember = async () => {
    const member = gym.members[next++]!;
    const session = await gym.addSession({ startsAt: Date.now() + 10 * MIN, endsAt: Date.now() + 70 * MIN });
    const s = await sockets.connect(member.id);
    const room = `class:${session.id}`;
    expect(await s.command(room, "class:book", { sessionId: session.id })).toMatchObject({ ok: true, result: { status: "booked" } });
    const checkIn = (extra: Record<string, unknown>) => s.command(room, "class:checkIn", { sessionId: session.id, ...extra });
    const rows = () => t.server.db.orm.em.fork().find(CheckInEntity, { sessionId: session.id });
    return { member, session, checkIn, rows };
  };
  const setting = (on: boolean) => t.server.db.orm.em.fork().nativeUpdate(GymEntity, { id: gym.gymId }, { memberSelfCheckIn: on });

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    const key = newSigningKeyPem();
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "c".repeat(40), CHECKIN_SIGNING_KEY: key });
    presence = new PresenceCodes(
      (await loadCodeKeyring({ CHECKIN_SIGNING_KEY: key, DATA_DIR: t.dataDir, SPOTTER_MODE: "embedded" })).presenceSecret,
    );
    gym = await aGym(t.server.db.orm, { members: 8 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("is off by default: a member's own check-in is refused with SELF_CHECK_IN_DISABLED and nothing is recorded", async () => {
    await setting(false);
    const { checkIn, rows } = await bookedMember();
    const answer = await checkIn({ source: "app", presenceCode: presence.current(gym.gymId, Date.now()).code });
    expect(answer).toMatchObject({ ok: false, error: { code: "SELF_CHECK_IN_DISABLED", message: expect.stringMatching(/front desk/) } });
    expect(await rows()).toEqual([]);
  });

  it('regression: a member\'s self check-in with source "door" was stored as sent — it is recorded as app', async () => {
    await setting(true);
    const { checkIn, rows } = await bookedMember();
    expect(await checkIn({ source: "door", presenceCode: presence.current(gym.gymId, Date.now()).code })).toMatchObject({
      ok: true,
      result: { status: "checked_in" },
    });
    expect((await rows()).map((r) => r.source)).toEqual(["app"]);
  });

  it("with the setting on, refuses a missing, wrong or expired presence code with PRESENCE_REQUIRED", async () => {
    await setting(true);
    const { checkIn, rows } = await bookedMember();
    const now = Date.now();
    const current = presence.current(gym.gymId, now).code;
    const wrong = String((Number(current) + 1) % 1_000_000).padStart(6, "0");
    const expired = presence.current(gym.gymId, now - 3 * PRESENCE_WINDOW_MS).code;
    const otherGym = presence.current((await aGym(t.server.db.orm, { members: 1 })).gymId, now).code;
    for (const code of [undefined, wrong, expired, otherGym]) {
      const answer = await checkIn(code === undefined ? {} : { presenceCode: code });
      if (code !== current) expect(answer, `code ${code}`).toMatchObject({ ok: false, error: { code: "PRESENCE_REQUIRED" } });
    }
    expect(await rows()).toEqual([]);
  });

  it("shows staff the presence code that works, and owners turn the setting on and off with an audit row", async () => {
    await setting(false);
    const owner = await sockets.connect(gym.ownerId);
    const desk = await sockets.connect(gym.deskId);
    const room = `gym:${gym.gymId}`;
    expect(await desk.command(room, "gym:setSelfCheckIn", { enabled: true })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const commandId = "set-self-check-in-1";
    expect(await owner.command(room, "gym:setSelfCheckIn", { enabled: true }, commandId)).toEqual({
      ok: true,
      result: { selfCheckIn: true },
    });
    const audit = await t.server.db.orm.em.fork().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:setSelfCheckIn" });
    expect(audit).toMatchObject([
      { actorId: gym.ownerId, role: "owner", commandId, summary: { before: { selfCheckIn: false }, after: { selfCheckIn: true } } },
    ]);
    const shown = (await desk.command(room, "gym:presenceCode", {})) as { ok: true; result: { selfCheckIn: boolean; code: string } };
    expect(shown.result).toMatchObject({ selfCheckIn: true, code: expect.stringMatching(/^\d{6}$/) });
    const { checkIn } = await bookedMember();
    expect(await checkIn({ presenceCode: shown.result.code })).toMatchObject({ ok: true, result: { status: "checked_in" } });
  });

  it("records what staff check-ins really were: a desk check-in that claims app is desk, a named device is kept", async () => {
    await setting(false);
    const coach = await sockets.connect(gym.coachId);
    const { member, session, rows } = await bookedMember();
    const answer = await coach.command(`class:${session.id}`, "class:checkIn", {
      sessionId: session.id,
      memberId: member.id,
      source: "app",
    });
    expect(answer).toMatchObject({ ok: true, result: { status: "checked_in" } });
    expect((await rows()).map((r) => r.source)).toEqual(["desk"]);
  });
});
