/**
 * Member photos and the desk card (issue 18): staff or the member upload through the photo route (its own 512 KiB cap,
 * type checked against the file's bytes), staff read it back; the desk card names the plan, balance, money owed and
 * the alerts staff act on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import type { UserView } from "../../../domain/views/userView.js";
import { localDate } from "../../../domain/schedule/timeZone.js";
import { eventually, suiteSockets, watchRoom } from "../../support/sockets.js";

const PNG: Uint8Array<ArrayBuffer> = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 1, 2, 3, 4,
]);
const JPEG: Uint8Array<ArrayBuffer> = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);

describe("member photos and the desk card", () => {
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

  const url = (member: string) => `${t.server.url}/api/photos/member?gym=${gym.gymId}&member=${member}`;
  const auth = async (as: string) => ({ authorization: `Bearer ${await signToken(t.server.jwtSecret!, as)}` });
  const upload = async (as: string, member: string, body: Uint8Array<ArrayBuffer> | string, type = "image/png") =>
    fetch(url(member), { method: "POST", headers: { ...(await auth(as)), "x-spotter": "1", "content-type": type }, body });

  it("the desk uploads a member's photo and reads it back; the member uploads their own", async () => {
    const member = gym.members[0]!.id;
    const up = await upload(gym.deskId, member, PNG);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ memberId: member, contentType: "image/png", bytes: PNG.byteLength });
    const back = await fetch(url(member), { headers: await auth(gym.coachId) });
    expect(back.status).toBe(200);
    expect(back.headers.get("content-type")).toBe("image/png");
    expect(back.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await back.arrayBuffer())).toEqual(PNG);
    expect((await upload(member, member, JPEG, "image/jpeg")).status).toBe(200);
    const mine = await fetch(url(member), { headers: await auth(member) });
    expect(mine.headers.get("content-type")).toBe("image/jpeg");
    const audit = await t.server.db.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(`select count(*)::int as n from audit_log where gym_id = ? and action = 'photo:upload'`, [gym.gymId]);
    expect(audit[0]!.n).toBe(1); // the desk's upload; the member's own is not a staff action
  });

  it("refuses another member's photo, a file that is not the type it says, a type not accepted, and past 512 KiB", async () => {
    const [a, b] = [gym.members[1]!.id, gym.members[2]!.id];
    expect((await upload(a, b, PNG)).status).toBe(404);
    expect((await fetch(url(b), { headers: await auth(a) })).status).toBe(404);
    const fake = await upload(gym.deskId, a, "<svg onload=alert(1)>", "image/png");
    expect(fake.status).toBe(415);
    expect(await fake.json()).toMatchObject({ error: { message: expect.stringContaining("not the image type it says") } });
    expect((await upload(gym.deskId, a, "<svg/>", "image/svg+xml")).status).toBe(415);
    const big = new Uint8Array(600 * 1024);
    big.set(PNG);
    expect((await upload(gym.deskId, a, big)).status).toBe(413);
    expect(
      (await fetch(url(a), { method: "POST", headers: { ...(await auth(gym.deskId)), "content-type": "image/png" }, body: PNG })).status,
    ).toBe(403);
  });

  it("a member replaces their own photo a few times an hour, then waits (429 with Retry-After); the desk is not held up", async () => {
    const member = gym.members[2]!.id;
    const s = await sockets.connect(member);
    const view = await watchRoom<UserView>(s, `user:${member}`);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await upload(member, member, i % 2 ? JPEG : PNG, i % 2 ? "image/jpeg" : "image/png")).status);
    expect(codes).toEqual([200, 200, 200]);
    // Each save tells the member's own room, so their Me screen shows the new photo on every device.
    await eventually(() => expect(view().account).toBe(3));
    const limited = await upload(member, member, PNG);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "RATE_LIMITED", message: expect.stringMatching(/^Too many requests/) } });
    // Still the third photo: the refused upload stored nothing.
    const stored = await fetch(url(member), { headers: await auth(member) });
    expect(stored.headers.get("content-type")).toBe("image/png");
    expect((await upload(gym.deskId, member, JPEG, "image/jpeg")).status).toBe(200);
  });

  it("the desk card shows plan, balance, money owed and the alerts", async () => {
    const owner = await sockets.connect(gym.ownerId);
    const room = `gym:${gym.gymId}`;
    const member = gym.members[0]!.id;
    // The gym's day, not UTC's: from 23:00 UTC it is already tomorrow in Berlin.
    const today = localDate(Date.now(), "Europe/Berlin");
    expect(
      await owner.command(room, "gym:updateMember", {
        memberId: member,
        birthday: `1990-${today.slice(5)}`,
        notes: "Left knee injury — no box jumps",
      }),
    ).toMatchObject({ ok: true });
    expect(
      await owner.command(room, "gym:publishWaiver", {
        title: "Waiver",
        version: "w1",
        text: "I train at my own risk, and I tell the coach.",
      }),
    ).toMatchObject({ ok: true });
    const desk = await sockets.connect(gym.deskId);
    const card = await desk.command(room, "gym:deskCard", { memberId: member });
    expect(card).toMatchObject({
      ok: true,
      result: { memberId: member, photoUpdatedAt: expect.any(Number), plan: { name: expect.any(String) }, owedCents: 0 },
    });
    const kinds = (card as { result: { alerts: { kind: string }[] } }).result.alerts.map((a) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(["waiver_missing", "injury", "birthday"]));
    const coach = await sockets.connect(gym.coachId);
    expect(await coach.command(room, "gym:deskCard", { memberId: member })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});
