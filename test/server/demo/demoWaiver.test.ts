/**
 * The demo gym shows a waiver (issue 18 "Policies and waivers"): a version in force that most members signed, the
 * demo member among those who haven't (so they can try it in the member app), listed on the staff Waivers screen; not
 * enforced, so the desk lets the demo member in as before.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { DEMO_GYM_ID, demoId } from "../../../server/demo/seedDemo.js";
import { DEMO_WAIVER_VERSION } from "../../../server/demo/seedWaiver.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { connectAs } from "../../support/sockets.js";

const room = `gym:${DEMO_GYM_ID}`;
const ok = <T>(ack: Ack<unknown>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result as T;
};
interface Status {
  required: string;
  current: { version: string; inForce: boolean; textHash: string; text: string } | null;
  unsignedTotal: number;
  unsigned: { memberId: string; status: string }[];
}
interface Mine {
  current: { version: string; signedAt: number | null } | null;
}

describe("the demo gym's waiver", () => {
  let t: TestServer;
  const sql = <T extends Record<string, unknown>[]>(q: string, params: unknown[] = []) =>
    t.server.db.orm.em.fork().getConnection().execute<T>(q, params);

  beforeAll(async () => {
    t = await startTestServer({ SEED_DEMO: "true" });
  }, 120_000);

  afterAll(async () => {
    await t?.cleanup();
  });

  it("is in force, not enforced, signed by most members with evidence of the text they saw; staff see who hasn't signed", async () => {
    const owner = await connectAs(t.server, demoId("user:owner"));
    try {
      const status = ok<Status>(await owner.command(room, "gym:waiverStatus", {}));
      expect(status).toMatchObject({ required: "off", current: { version: DEMO_WAIVER_VERSION, inForce: true } });
      expect(status.current!.textHash).toBe(createHash("sha256").update(status.current!.text, "utf8").digest("hex"));
      const [{ members }] = await sql<{ members: string }[]>(
        `select count(*) as members from gym_membership where gym_id = ? and role = 'member' and status <> 'cancelled'`,
        [DEMO_GYM_ID],
      );
      expect(status.unsignedTotal).toBeGreaterThan(0);
      expect(status.unsignedTotal).toBeLessThan(Number(members) / 4);
      expect(status.unsigned.map((u) => u.memberId)).toContain(demoId("user:member1"));
      const hashes = await sql<{ text_hash: string }[]>(`select distinct text_hash from waiver_signature where gym_id = ?`, [DEMO_GYM_ID]);
      expect(hashes).toEqual([{ text_hash: status.current!.textHash }]);
    } finally {
      owner.close();
    }
  });

  it("shows a member who signed when they did, and lets the demo member sign it; the desk lets them in either way", async () => {
    const [signer] = await sql<{ member_id: string }[]>(
      `select member_id from waiver_signature where gym_id = ? order by member_id limit 1`,
      [DEMO_GYM_ID],
    );
    const other = await connectAs(t.server, signer!.member_id);
    const me = await connectAs(t.server, demoId("user:member1"));
    const owner = await connectAs(t.server, demoId("user:owner"));
    const desk = await connectAs(t.server, demoId("user:desk"));
    try {
      expect(ok<Mine>(await other.command(room, "gym:waiver", {})).current).toMatchObject({
        version: DEMO_WAIVER_VERSION,
        signedAt: expect.any(Number),
      });
      expect(ok<Mine>(await me.command(room, "gym:waiver", {})).current).toMatchObject({ version: DEMO_WAIVER_VERSION, signedAt: null });
      const before = ok<Status>(await owner.command(room, "gym:waiverStatus", {})).unsignedTotal;
      expect(
        await me.command(room, "gym:signWaiver", { version: DEMO_WAIVER_VERSION, typedName: "Demo Member", agree: true }),
      ).toMatchObject({ ok: true });
      const after = ok<Status>(await owner.command(room, "gym:waiverStatus", {}));
      expect(after.unsignedTotal).toBe(before - 1);
      expect(after.unsigned.map((u) => u.memberId)).not.toContain(demoId("user:member1"));
      const unsigned = after.unsigned.find((u) => u.status === "active")!;
      expect(await desk.command(room, "gym:checkIn", { memberId: unsigned.memberId, openGym: true })).toMatchObject({
        ok: true,
        result: { status: "checked_in" },
      });
    } finally {
      for (const s of [other, me, owner, desk]) s.close();
    }
  });
});
