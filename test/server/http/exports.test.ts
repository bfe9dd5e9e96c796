/** CSV exports for staff and private iCal feeds for members, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../server/auth.js";
import { csvField } from "../../../server/http/exports.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

describe("exports", () => {
  let t: TestServer;
  let gym: GymFixture;
  const get = async (path: string, userId?: string) =>
    fetch(`${t.server.url}${path}`, userId ? { headers: { authorization: `Bearer ${await signToken(t.server.jwtSecret!, userId)}` } } : {});

  beforeAll(async () => {
    t = await startTestServer();
    gym = await aGym(t.server.db.orm, { members: 3 });
  }, 60_000);
  afterAll(() => t?.cleanup());

  it("exports the member list as CSV for the front desk, and refuses coaches, members and strangers", async () => {
    const res = await get(`/api/gyms/${gym.gymId}/members.csv`, gym.deskId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("name,email,phone,role,status,joined_at");
    const owners = await (await get(`/api/gyms/${gym.gymId}/members.csv`, gym.ownerId)).text();
    expect(owners.split("\r\n")[0]).toBe("name,email,phone,role,status,plan,credits,joined_at");
    expect(text).toContain(gym.members[0]!.email);
    expect((await get(`/api/gyms/${gym.gymId}/members.csv`, gym.coachId)).status).toBe(403);
    expect((await get(`/api/gyms/${gym.gymId}/members.csv`, gym.members[0]!.id)).status).toBe(403);
    expect((await get(`/api/gyms/${gym.gymId}/members.csv`)).status).toBe(401);
    const other = await aGym(t.server.db.orm, { members: 1 });
    expect((await get(`/api/gyms/${gym.gymId}/members.csv`, other.ownerId)).status).toBe(404);
    expect((await get(`/api/gyms/${gym.gymId}/nothing.csv`, gym.ownerId)).status).toBe(404);
    expect((await get(`/api/gyms/not-a-uuid/members.csv`, gym.ownerId)).status).toBe(404);
  });

  it("defuses spreadsheet formulas and quotes separators in CSV fields", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
  });

  it("serves a member's bookings as a private iCal feed until the link is revoked", async () => {
    const member = gym.members[0]!;
    const s = await connectAs(t.server, member.id);
    const book = await s.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId });
    expect(book.ok).toBe(true);
    const link = await s.command(`user:${member.id}`, "user:icalLink", {});
    const { url } = (link as { ok: true; result: { url: string } }).result;
    const path = new URL(url).pathname;
    const ics = await (await get(path)).text();
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("SUMMARY:Strength");
    const revoked = await s.command(`user:${member.id}`, "user:revokeIcal", {});
    expect((revoked as { ok: true; result: { url: string } }).result.url).not.toBe(url);
    expect((await get(path)).status).toBe(404);
    s.close();
  });
});
