/**
 * The offline desk against a real server (issue 21): the snapshot a desk keeps, codes checked on the desk with
 * the public keys alone (through a 2-hour outage and a key rotation), and late check-ins stored exactly once as
 * `offline_desk` with the desk's and the server's time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideFromSnapshot, type DeskSnapshot } from "../../../domain/checkin/deskSnapshot.js";
import { applyDeskChanges, type DeskChange } from "../../../domain/checkin/deskChanges.js";
import { loadCodeKeyring, newSigningKeyPem } from "../../../server/checkin/codeKeys.js";
import { AttendanceEventEntity, AuditLogEntity, CheckInEntity } from "../../../server/db/entities/index.js";
import { MemberCodes } from "../../../server/realtime/memberCodes.js";
import { verifyCodeOffline } from "../../../web-admin/src/deskCodes.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { postgresOrPglite, suiteDatabase, startTestServer, type SuiteDatabase, type TestServer } from "../../support/services.js";
import { suiteSockets } from "../../support/sockets.js";

const pg = await postgresOrPglite();
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("offline desk", () => {
  let db: SuiteDatabase;
  let t: TestServer;
  let gym: GymFixture;
  let key: string;
  const sockets = suiteSockets(() => t.server);
  const snapshotOf = async () => {
    const s = await sockets.connect(gym.deskId);
    const ack = await s.command(`gym:${gym.gymId}`, "gym:deskSnapshot", {});
    expect(ack.ok).toBe(true);
    return (ack as { result: DeskSnapshot }).result;
  };

  beforeAll(async () => {
    db = await suiteDatabase(pg);
    key = newSigningKeyPem();
    t = await startTestServer({ ...db.env, SPOTTER_MODE: "embedded", JWT_SECRET: "d".repeat(40), CHECKIN_SIGNING_KEY: key });
    gym = await aGym(t.server.db.orm, { members: 4, startsInMinutes: 10 });
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("gives the desk its members, today's sessions with rosters and the code keys — and audits the read", async () => {
    const member = gym.members[0]!;
    const m = await sockets.connect(member.id);
    expect(await m.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId })).toMatchObject({ ok: true });
    const snap = await snapshotOf();
    expect(snap.members.map((x) => x.memberId)).toContain(member.id);
    expect(snap.members[0]).not.toHaveProperty("email");
    expect(snap.sessions.find((s) => s.sessionId === gym.sessionId)?.roster).toContainEqual({ memberId: member.id, status: "booked" });
    expect(snap.keys).toHaveLength(1);
    // Read audits are drained to the chain in the background.
    await expect
      .poll(() => t.server.db.orm.em.fork().count(AuditLogEntity, { gymId: gym.gymId, action: "gym:deskSnapshot" }), { timeout: 10_000 })
      .toBeGreaterThan(0);
  });

  it("verifies a member's code on the desk with the public key alone, through a 2-hour outage, and refuses a forged one", async () => {
    const member = gym.members[1]!;
    const m = await sockets.connect(member.id);
    const issued = (await m.command(`user:${member.id}`, "user:checkInCode", {})) as {
      ok: true;
      result: { code: string; expiresAt: number };
    };
    const snap = await snapshotOf();
    const outageEnd = snap.takenAt + 2 * HOUR;
    expect(await verifyCodeOffline(issued.result.code, snap.keys, snap.takenAt, outageEnd)).toBe(member.id);
    // A code that had already expired when the desk last synced (a screenshot) is refused.
    expect(await verifyCodeOffline(issued.result.code, snap.keys, issued.result.expiresAt + MIN, outageEnd)).toBeNull();
    const forged = issued.result.code.replace(member.id, gym.members[2]!.id);
    expect(await verifyCodeOffline(forged, snap.keys, snap.takenAt, snap.takenAt)).toBeNull();
  });

  it("accepts codes of the previous key during a rotation's overlap, with the keys the snapshot lists", async () => {
    const member = gym.members[1]!;
    const old = newSigningKeyPem();
    const now = Date.now();
    const oldCodes = new MemberCodes(await loadCodeKeyring({ CHECKIN_SIGNING_KEY: old, DATA_DIR: t.dataDir, SPOTTER_MODE: "embedded" }));
    const rotated = new MemberCodes(
      await loadCodeKeyring({
        CHECKIN_SIGNING_KEY: key,
        CHECKIN_PREVIOUS_KEYS: old,
        CHECKIN_PREVIOUS_KEYS_UNTIL: now + HOUR,
        DATA_DIR: t.dataDir,
        SPOTTER_MODE: "embedded",
      }),
    );
    const keys = rotated.publicKeys(now).keys.map((k) => ({ kid: String(k.kid), x: String(k.x) }));
    const { code } = await oldCodes.issue(member.id, now);
    expect(keys).toHaveLength(2);
    expect(await verifyCodeOffline(code, keys, now, now + MIN)).toBe(member.id);
    const after = rotated.publicKeys(now + 2 * HOUR).keys.map((k) => ({ kid: String(k.kid), x: String(k.x) }));
    expect(await verifyCodeOffline(code, after, now, now + MIN)).toBeNull();
  });

  it("stores a late check-in once, as offline_desk with the desk's and the server's time, however often it is sent", async () => {
    const member = gym.members[3]!;
    const s = await sockets.connect(gym.deskId);
    const deviceAt = Date.now() - 20 * MIN;
    const payload = {
      memberId: member.id,
      openGym: true,
      offline: { deviceAt, lastSyncAt: deviceAt - 5 * MIN, admitted: true, reason: null },
    };
    const commandId = crypto.randomUUID();
    const first = await s.command(`gym:${gym.gymId}`, "gym:checkIn", payload, commandId);
    expect(first).toMatchObject({ ok: true, result: { status: "checked_in", provisional: true, needsAttention: false } });
    expect(await s.command(`gym:${gym.gymId}`, "gym:checkIn", payload, commandId)).toEqual(first);
    const rows = await t.server.db.orm.em.fork().find(CheckInEntity, { gymId: gym.gymId, memberId: member.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ source: "offline_desk", at: deviceAt, deviceAt, result: "accepted" });
    expect(rows[0]!.receivedAt).toBeGreaterThanOrEqual(deviceAt + 20 * MIN);
  });

  it("reconciles two desks that were offline at once (two doors): one booked member, checked in once", async () => {
    const member = gym.members[0]!; // booked into the class by the first test
    const [door1, door2] = await Promise.all([sockets.connect(gym.deskId), sockets.connect(gym.ownerId)]);
    const deviceAt = Date.now() - 2 * MIN;
    const late = (admitted: boolean) => ({
      memberId: member.id,
      offline: { deviceAt, lastSyncAt: deviceAt - 10 * MIN, admitted, reason: null },
    });
    const answers = await Promise.all([
      door1.command(`gym:${gym.gymId}`, "gym:checkIn", late(true)),
      door2.command(`gym:${gym.gymId}`, "gym:checkIn", late(true)),
    ]);
    expect(answers.map((a) => (a as { result: { status: string } }).result.status).sort()).toEqual(["already_checked_in", "checked_in"]);
    for (const a of answers) expect(a).toMatchObject({ ok: true, result: { needsAttention: false } });
    const em = t.server.db.orm.em.fork();
    expect(await em.count(AttendanceEventEntity, { memberId: member.id, sessionId: gym.sessionId })).toBe(1);
    expect(await em.find(CheckInEntity, { memberId: member.id, sessionId: gym.sessionId })).toEqual([
      expect.objectContaining({ source: "offline_desk", result: "accepted" }),
    ]);
  });

  const freeze = (s: Awaited<ReturnType<typeof sockets.connect>>, memberId: string) =>
    s.command(`gym:${gym.gymId}`, "gym:freezeMember", {
      memberId,
      until: new Date(Date.now() + 30 * 24 * HOUR).toISOString().slice(0, 10),
      reason: "Travelling",
    });

  it("answers needs attention for a member frozen while the desk was offline, before its check-in", async () => {
    const member = gym.members[2]!;
    const s = await sockets.connect(gym.deskId);
    const lastSyncAt = Date.now() - 10 * MIN;
    expect(await freeze(s, member.id)).toMatchObject({ ok: true });
    const deviceAt = Date.now() + 1;
    const answer = await s.command(`gym:${gym.gymId}`, "gym:checkIn", {
      memberId: member.id,
      openGym: true,
      offline: { deviceAt, lastSyncAt, admitted: true, reason: null },
    });
    expect(answer).toMatchObject({ ok: true, result: { status: "denied", reason: "MEMBERSHIP_FROZEN", needsAttention: true } });
  });

  it("regression: keeps a check-in the desk made before the member was frozen (decided with the status at the desk's time)", async () => {
    const member = gym.members[3]!;
    const s = await sockets.connect(gym.deskId);
    const deviceAt = Date.now() - 10 * MIN;
    expect(await freeze(s, member.id)).toMatchObject({ ok: true });
    const answer = await s.command(`gym:${gym.gymId}`, "gym:checkIn", {
      memberId: member.id,
      openGym: true,
      offline: { deviceAt: deviceAt + 15 * 1000, lastSyncAt: deviceAt, admitted: true, reason: null },
    });
    expect(answer).toMatchObject({ ok: true, result: { status: "checked_in", needsAttention: false } });
  });

  it("carries the waiver in force and who signed it, so the desk refuses an unsigned member offline as the gym room does", async () => {
    const [signer, unsigned] = [gym.members[0]!, gym.members[1]!];
    const room = `gym:${gym.gymId}`;
    const owner = await sockets.connect(gym.ownerId);
    expect(
      await owner.command(room, "gym:publishWaiver", {
        title: "Liability waiver",
        version: "2027-01",
        text: "I take part at my own risk. ".repeat(4),
      }),
    ).toMatchObject({ ok: true });
    expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "check_in" })).toMatchObject({ ok: true });
    const unsignedYet = await snapshotOf();
    expect(decideFromSnapshot(unsignedYet, signer.id, true, Date.now())).toMatchObject({ verdict: "denied", reason: "WAIVER_NOT_SIGNED" });
    expect(
      await (await sockets.connect(signer.id)).command(room, "gym:signWaiver", { version: "2027-01", typedName: signer.name, agree: true }),
    ).toMatchObject({ ok: true });
    // The signature reaches a connected desk as a live change to its saved member list.
    const desk = await sockets.connect(gym.deskId);
    const signedChange = async () => {
      const joined = (await desk.join(room)) as { ok: true; result: { snapshot: { desk: Record<string, DeskChange> } } };
      return Object.values(joined.result.snapshot.desk).find((c) => c.kind === "member" && c.memberId === signer.id);
    };
    await expect.poll(signedChange, { timeout: 10_000 }).toMatchObject({ kind: "member", signedWaivers: ["2027-01"] });
    const change = (await signedChange())!;
    const patched = applyDeskChanges(unsignedYet, { epoch: change.epoch, seq: change.seq - 1 }, [change]);
    expect(decideFromSnapshot(patched.snapshot, signer.id, true, Date.now())).toMatchObject({
      verdict: expect.stringMatching(/open_gym|already_checked_in/),
    });
    const snap = await snapshotOf();
    expect(snap.waiver).toMatchObject({ required: "check_in", versions: [{ version: "2027-01" }] });
    expect(snap.members.find((m) => m.memberId === signer.id)?.signedWaivers).toEqual(["2027-01"]);
    expect(snap.members.find((m) => m.memberId === unsigned.id)?.signedWaivers).toEqual([]);
    const now = Date.now();
    expect(decideFromSnapshot(snap, unsigned.id, true, now)).toMatchObject({ verdict: "denied", reason: "WAIVER_NOT_SIGNED" });
    expect(decideFromSnapshot(snap, signer.id, true, now)).toMatchObject({ verdict: expect.stringMatching(/open_gym|already_checked_in/) });
    expect(await desk.command(room, "gym:checkIn", { memberId: unsigned.id, openGym: true })).toMatchObject({
      ok: true,
      result: { status: "denied", reason: "WAIVER_NOT_SIGNED" },
    });
    expect(await owner.command(room, "gym:setPolicy", { waiverRequired: "off" })).toMatchObject({ ok: true });
    expect((await snapshotOf()).waiver).toBeUndefined();
  });
});
