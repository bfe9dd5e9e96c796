/**
 * Issue 22, a bulk message to a segment: every member the filter finds gets an inbox notice (live in their `user:`
 * room at once), committed with the audit row; guarded by the previewed count, refused for money filters to the desk,
 * and at most five a gym per hour.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JoinResult } from "../../../domain/protocol/envelope.js";
import { applyPatch } from "../../../domain/protocol/patch.js";
import type { UserView } from "../../../domain/views/userView.js";
import { AttendanceEventEntity, AuditLogEntity, GymMembershipEntity } from "../../../server/db/entities/index.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { createTestDatabase, requirePostgres, startTestServer, type TestDatabase, type TestServer } from "../../support/services.js";
import { connectAs, eventually, type TestSocket } from "../../support/sockets.js";

const pg = await requirePostgres();
const DAY = 86_400_000;

describe.skipIf(!pg.ok)("a bulk message to a segment (PostgreSQL, a controlled clock)", () => {
  let db: TestDatabase;
  let t: TestServer;
  let gym: GymFixture;
  let clock = Date.now();
  let owner: TestSocket;
  let desk: TestSocket;
  let room: string;
  const quiet = { statuses: ["active"], noVisitDays: 14 };
  const sql = async <T>(q: string, params: unknown[] = []) => (await t.server.db.orm.em.fork().getConnection().execute(q, params)) as T[];

  beforeAll(async () => {
    db = await createTestDatabase(pg.url!);
    t = await startTestServer(
      { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "m".repeat(40), MAX_TOKEN_LIFETIME: "7d", COMMANDS_PER_SECOND: "1000" },
      { now: () => clock },
    );
    gym = await aGym(t.server.db.orm, { members: 3 });
    room = `gym:${gym.gymId}`;
    const e = t.server.db.orm.em.fork();
    await e.nativeUpdate(GymMembershipEntity, { gymId: gym.gymId }, { joinedAt: clock - 60 * DAY });
    // Member 0 came yesterday; members 1 and 2 not for ten days (not quiet yet).
    await e.insert(AttendanceEventEntity, {
      id: randomUUID(),
      gymId: gym.gymId,
      memberId: gym.members[0]!.id,
      sessionId: null,
      at: clock - DAY,
    });
    for (const m of gym.members.slice(1))
      await e.insert(AttendanceEventEntity, { id: randomUUID(), gymId: gym.gymId, memberId: m.id, sessionId: null, at: clock - 10 * DAY });
    [owner, desk] = await Promise.all([connectAs(t.server, gym.ownerId, 7 * 86_400), connectAs(t.server, gym.deskId, 7 * 86_400)]);
  }, 60_000);

  afterAll(async () => {
    owner?.close();
    desk?.close();
    await t?.cleanup();
    await db?.drop();
  });

  it("reaches the members the segment finds once time moves on, live in their inbox, with one audit row", async () => {
    const member = await connectAs(t.server, gym.members[1]!.id, 7 * 86_400);
    const joined = (await member.join(`user:${gym.members[1]!.id}`)) as {
      ok: true;
      result: Extract<JoinResult<UserView>, { snapshot: UserView }>;
    };
    let view = joined.result.snapshot;
    member.socket.on("room:delta", (d: { room: string; ops: never[] }) => {
      if (d.room === `user:${gym.members[1]!.id}`) view = applyPatch(view, d.ops);
    });
    expect(await desk.command(room, "gym:segmentMessage", { filter: quiet, text: "We miss you", expectedCount: 0 })).toEqual({
      ok: true,
      result: { sent: 0 },
    });
    clock += 5 * DAY;
    const stale = await desk.command(room, "gym:segmentMessage", { filter: quiet, text: "We miss you", expectedCount: 0 });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: "CONFLICT", message: "The segment has changed: it finds 2 members now — preview it again." },
    });
    expect(
      await desk.command(room, "gym:segmentMessage", { filter: quiet, text: "  Come to open gym on Saturday  ", expectedCount: 2 }),
    ).toEqual({ ok: true, result: { sent: 2 } });

    const rows = await sql<{ user_id: string; kind: string; text: string; gym_id: string }>(
      `select user_id, kind, text, gym_id from notice where gym_id = ? order by user_id`,
      [gym.gymId],
    );
    expect(rows.map((r) => r.user_id)).toEqual([gym.members[1]!.id, gym.members[2]!.id].sort());
    expect(rows.every((r) => r.kind === "message" && r.text === "Come to open gym on Saturday")).toBe(true);
    await eventually(() => expect(Object.values(view.notices).map((n) => n.text)).toContain("Come to open gym on Saturday"));
    expect(view.unread).toBe(1);
    const audits = await t.server.db.orm.em.fork().find(AuditLogEntity, { gymId: gym.gymId, action: "gym:segmentMessage" });
    // The refused (stale) one rolled back: no audit row.
    expect(audits.map((a) => (a.summary as { after: { sent: number } }).after.sent).sort()).toEqual([0, 2]);
    member.close();
  });

  it("answers a retried command with its first answer and sends nothing twice", async () => {
    const commandId = randomUUID();
    const first = await owner.socket.emitWithAck("command", {
      commandId,
      room,
      type: "gym:segmentMessage",
      payload: { filter: { tags: ["nobody"] }, text: "Retry", expectedCount: 0 },
    });
    const again = await owner.socket.emitWithAck("command", {
      commandId,
      room,
      type: "gym:segmentMessage",
      payload: { filter: { tags: ["nobody"] }, text: "Retry", expectedCount: 0 },
    });
    expect(again).toEqual(first);
    expect(await t.server.db.orm.em.fork().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:segmentMessage", commandId })).toBe(1);
  });

  it("lets only owners and admins message a money filter, and refuses a sixth message within the hour", async () => {
    expect(await desk.command(room, "gym:segmentMessage", { filter: { feesOwed: true }, text: "Pay up", expectedCount: 0 })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    const [lately] = await sql<{ n: string }>(
      `select count(*) as n from audit_log where gym_id = ? and action = 'gym:segmentMessage' and at >= ?`,
      [gym.gymId, new Date(clock - 3_600_000)],
    );
    for (let k = Number(lately!.n); k < 5; k++) {
      expect(
        await owner.command(room, "gym:segmentMessage", { filter: { feesOwed: true }, text: `Your balance ${k}`, expectedCount: 0 }),
      ).toEqual({ ok: true, result: { sent: 0 } });
    }
    const sixth = await owner.command(room, "gym:segmentMessage", { filter: { feesOwed: true }, text: "Again", expectedCount: 0 });
    expect(sixth).toMatchObject({
      ok: false,
      error: { code: "RATE_LIMITED", message: "This gym has sent 5 bulk messages in the last hour — wait a little before the next one." },
    });
    clock += 61 * 60_000;
    expect(await owner.command(room, "gym:segmentMessage", { filter: { feesOwed: true }, text: "Later", expectedCount: 0 })).toEqual({
      ok: true,
      result: { sent: 0 },
    });
  });

  it("refuses an empty message", async () => {
    expect(await owner.command(room, "gym:segmentMessage", { filter: quiet, text: "   ", expectedCount: 2 })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
  });
});
