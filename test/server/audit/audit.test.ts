/**
 * The audit trail over a real server, on embedded PGlite and on PostgreSQL: rows per command in the commit,
 * a chain per room, contiguous and valid under concurrent commits of one gym's class rooms (which share no
 * lock), room heads anchored into the gym's chain after the commit, tamper detection, and a database that
 * refuses to change or remove rows.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import type { MikroORM } from "@mikro-orm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditRow } from "../../../domain/audit/chain.js";
import type { Ack } from "../../../domain/protocol/envelope.js";
import { settleAnchors } from "../../../server/audit/anchors.js";
import { verifyAudit } from "../../../server/audit/verifyAudit.js";
import { embeddedTarget, openDatabase } from "../../../server/db/orm.js";
import { aGym } from "../../support/gymFixture.js";
import {
  makeTempDir,
  requirePostgres,
  serverTargets,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from "../../support/services.js";
import { suiteSockets, connectAs } from "../../support/sockets.js";

const pg = await requirePostgres();

const targets = serverTargets(pg);

/** One chain's audit rows (a room's, or the gym's when `chain` is the gym id) in chain order, as the application stored them. */
async function auditRows(orm: MikroORM, chain: string): Promise<AuditRow[]> {
  const rows = await orm.em
    .getConnection()
    .execute<Record<string, unknown>[]>(`select * from audit_log where chain = ? order by seq`, [chain]);
  return rows.map((r: Record<string, unknown>) => ({
    id: r.id as string,
    gymId: r.gym_id as string,
    chain: r.chain as string,
    seq: Number(r.seq),
    at: new Date(r.at as string).getTime(),
    actorId: r.actor_id as string | null,
    role: r.role as string | null,
    action: r.action as string,
    entityType: r.entity_type as string,
    entityId: r.entity_id as string | null,
    summary: (typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary) as AuditRow["summary"],
    commandId: r.command_id as string | null,
    prevHash: r.prev_hash as string,
    hash: r.hash as string,
  }));
}

/** Runs one statement with triggers off (`session_replication_role = replica`, superuser only), as an intruder would. */
async function sqlAsSuperuser(orm: MikroORM, sql: string, params: unknown[]): Promise<void> {
  await orm.em.fork().transactional(async (tx) => {
    const trx = tx.getTransactionContext();
    await tx.getConnection().execute(`set local session_replication_role = replica`, [], "run", trx);
    await tx.getConnection().execute(sql, params, "run", trx);
  });
}

/** `npm run audit:verify` as a child process; resolves with its exit code and output. */
function runAuditVerify(env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/auditVerify.ts", ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const ok = <T>(ack: Ack<T>): T => {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack.error)}`);
  return ack.result;
};

describe.each(targets)("the audit trail on $name", (target) => {
  let t: TestServer;
  let db: TestDatabase | undefined;
  let orm: MikroORM;
  const sockets = suiteSockets(() => t.server);
  const connect = sockets.connect;

  beforeAll(async () => {
    const { env, db: made } = await target.env();
    db = made;
    t = await startTestServer({ ...env, COMMANDS_PER_SECOND: "1000", FLUSH_MAX_DELAY_MS: "2" });
    orm = t.server.db.orm;
  }, 120_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  it("writes a row per command with its actor, role, action, command id and before → after, chained from 64 zeros", async () => {
    const gym = await aGym(orm, { capacity: 20, members: 3 });
    const room = `class:${gym.sessionId}`;
    const [alice] = gym.members;
    const member = await connect(alice!.id);
    const owner = await connect(gym.ownerId);
    const book = randomUUID();
    const booked = ok(await member.command(room, "class:book", { sessionId: gym.sessionId }, book)) as { bookingId: string };
    const cancel = randomUUID();
    ok(await member.command(room, "class:cancelBooking", { sessionId: gym.sessionId }, cancel));
    const capacity = randomUUID();
    ok(await owner.command(room, "class:setCapacity", { sessionId: gym.sessionId, capacity: 25 }, capacity));

    const rows = await auditRows(orm, room);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows[0]!.prevHash).toBe("0".repeat(64));
    expect(rows[0]).toMatchObject({
      actorId: alice!.id,
      role: "member",
      action: "class:book",
      commandId: book,
      entityType: "booking",
      entityId: booked.bookingId,
      summary: { before: null, after: { memberId: alice!.id, status: "booked" } },
    });
    expect(rows[1]).toMatchObject({
      actorId: alice!.id,
      role: "member",
      action: "class:cancelBooking",
      commandId: cancel,
      entityId: booked.bookingId,
      summary: { before: { status: "booked" }, after: { status: "cancelled" } },
    });
    expect(rows[2]).toMatchObject({
      actorId: gym.ownerId,
      role: "owner",
      action: "class:setCapacity",
      commandId: capacity,
      entityType: "class_session",
      entityId: gym.sessionId,
      summary: { before: { capacity: 20 }, after: { capacity: 25 } },
    });
    await settleAnchors(orm);
    expect(await verifyAudit(orm.em.fork(), gym.gymId)).toMatchObject({ rows: 3, gyms: 1, unanchored: 0, broken: null });
    // The gym's chain anchors the room's head.
    const anchors = await auditRows(orm, gym.gymId);
    expect(anchors.at(-1)).toMatchObject({ action: "audit:anchor", entityId: room, summary: { after: { seq: 3, hash: rows[2]!.hash } } });
  });

  it("audits a desk check-in forwarded to the class room under the desk's user and role", async () => {
    const gym = await aGym(orm, { members: 1 });
    const soon = await gym.addSession({ startsAt: Date.now() + 10 * 60_000, endsAt: Date.now() + 70 * 60_000 });
    const member = await connect(gym.members[0]!.id);
    ok(await member.command(`class:${soon.id}`, "class:book", { sessionId: soon.id }));
    const desk = await connect(gym.deskId);
    expect(ok(await desk.command(`gym:${gym.gymId}`, "gym:checkIn", { memberId: gym.members[0]!.id }))).toMatchObject({
      status: "checked_in",
    });
    const rows = await auditRows(orm, `class:${soon.id}`);
    const checkIn = rows.filter((r) => r.action === "class:checkIn");
    // One command, three rows: the booking, the check-in record and the attendance it names.
    expect(checkIn.map((r) => r.entityType).sort()).toEqual(["attendance", "booking", "check_in"]);
    for (const r of checkIn)
      expect(r).toMatchObject({ actorId: gym.deskId, role: "front_desk", commandId: expect.stringMatching(/^desk-/) });
    expect(checkIn.find((r) => r.entityType === "booking")!.summary).toMatchObject({
      before: { status: "booked" },
      after: { status: "checked_in" },
    });
    expect((await verifyAudit(orm.em.fork(), gym.gymId)).broken).toBeNull();
  });

  it("writes no audit row for a commit that fails, and chains on after it", async () => {
    const gym = await aGym(orm, { members: 5 });
    const room = `class:${gym.sessionId}`;
    const conn = orm.em.getConnection();
    const fn = `spotter_test_refuse_${gym.gymId.slice(0, 8)}`;
    await conn.execute(
      `create or replace function ${fn}() returns trigger as $$ begin raise exception 'injected failure'; end $$ language plpgsql`,
    );
    await conn.execute(
      `create trigger ${fn} before insert on booking for each row when (new.session_id = '${gym.sessionId}') execute function ${fn}()`,
    );
    const members = await Promise.all(gym.members.map((m) => connect(m.id)));
    const failed = await Promise.all(members.map((m) => m.command(room, "class:book", { sessionId: gym.sessionId })));
    expect(failed.every((a) => !a.ok && a.error.code === "UNAVAILABLE")).toBe(true);
    expect(await auditRows(orm, room)).toEqual([]);
    await conn.execute(`drop trigger ${fn} on booking`);
    const retried = await Promise.all(members.map((m) => m.command(room, "class:book", { sessionId: gym.sessionId })));
    expect(retried.every((a) => a.ok)).toBe(true);
    const rows = await auditRows(orm, room);
    expect(
      rows
        .filter((r) => r.action === "class:book")
        .map((r) => r.actorId)
        .sort(),
    ).toEqual(gym.members.map((m) => m.id).sort());
    expect(await verifyAudit(orm.em.fork(), gym.gymId)).toMatchObject({ rows: rows.length, broken: null });
  });

  it("keeps each room's seq contiguous and every chain valid when several class rooms of one gym commit at once", async () => {
    const gym = await aGym(orm, { capacity: 50, members: 40 });
    const sessions = [gym.session, ...(await Promise.all(Array.from({ length: 4 }, () => gym.addSession({ capacity: 50 }))))];
    const members = await Promise.all(gym.members.map((m) => connect(m.id)));
    const acks = await Promise.all(
      members.flatMap((m) => sessions.map((s) => m.command(`class:${s.id}`, "class:book", { sessionId: s.id }))),
    );
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    let total = 0;
    for (const s of sessions) {
      const rows = await auditRows(orm, `class:${s.id}`);
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
      const books = rows.filter((r) => r.action === "class:book");
      expect(books).toHaveLength(members.length);
      // Group commits batch several members' commands: each row still names the member whose booking it is.
      for (const r of books) expect(r.actorId).toBe((r.summary.after as { memberId: string }).memberId);
      total += rows.length;
    }
    await settleAnchors(orm);
    expect(await verifyAudit(orm.em.fork(), gym.gymId)).toMatchObject({
      rows: total,
      gyms: 1,
      chains: sessions.length + 1,
      unanchored: 0,
      broken: null,
    });
  }, 60_000);

  // PostgreSQL only: embedded PGlite has one connection, so any open transaction holds up every other.
  if (target.name === "PostgreSQL")
    it("commits a class room while another holds the gym chain's lock (no lock shared by rooms)", async () => {
      const gym = await aGym(orm, { members: 1 });
      const member = await connect(gym.members[0]!.id);
      ok(await member.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId }));
      await settleAnchors(orm);
      const other = await gym.addSession();
      // Hold the gym-level chain's head row, as an anchor writer or a privacy action does, until the booking is answered.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      const holder = orm.em.fork().transactional(async (tx) => {
        await tx
          .getConnection()
          .execute(`select seq from audit_head where gym_id = ? for update`, [gym.gymId], "all", tx.getTransactionContext());
        locked();
        await held;
      });
      await isLocked;
      const booked = await member.command(`class:${other.id}`, "class:book", { sessionId: other.id });
      release();
      await holder;
      expect(booked).toMatchObject({ ok: true, result: { status: "booked" } });
      expect((await auditRows(orm, `class:${other.id}`)).map((r) => r.action)).toEqual(["class:book"]);
      await settleAnchors(orm);
      expect(await verifyAudit(orm.em.fork(), gym.gymId)).toMatchObject({ unanchored: 0, broken: null });
    }, 60_000);

  it("accepts room rows not yet anchored, and reports an anchor its room chain no longer reaches", async () => {
    const gym = await aGym(orm, { members: 2 });
    const room = `class:${gym.sessionId}`;
    ok(await (await connect(gym.members[0]!.id)).command(room, "class:book", { sessionId: gym.sessionId }));
    await settleAnchors(orm);
    // A row appended after the last anchor (as when a node dies between its commit and the anchor): accepted.
    const [first] = await auditRows(orm, room);
    const { linkRows } = await import("../../../domain/audit/chain.js");
    const { sha256Hex } = await import("../../../server/audit/hash.js");
    const {
      rows: [late],
    } = linkRows(gym.gymId, room, { seq: 1, hash: first!.hash }, [{ ...first!, id: randomUUID(), commandId: randomUUID() }], sha256Hex);
    await orm.em.getConnection().execute(
      `insert into audit_log (id, gym_id, chain, seq, at, actor_id, role, action, entity_type, entity_id, summary, command_id, prev_hash, hash, pos)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, nextval('audit_log_pos_seq'))`,
      [
        late!.id,
        late!.gymId,
        late!.chain,
        late!.seq,
        new Date(late!.at),
        late!.actorId,
        late!.role,
        late!.action,
        late!.entityType,
        late!.entityId,
        JSON.stringify(late!.summary),
        late!.commandId,
        late!.prevHash,
        late!.hash,
      ],
    );
    expect(await verifyAudit(orm.em.fork(), gym.gymId)).toMatchObject({ rows: 2, unanchored: 1, broken: null });
    // Removing the anchored row (and what follows) is a broken link even though what is left chains correctly.
    await sqlAsSuperuser(orm, `delete from audit_log where chain = ?`, [room]);
    expect((await verifyAudit(orm.em.fork(), gym.gymId)).broken).toMatchObject({ chain: room, what: "anchor", seq: 1 });
  });

  it("reports exactly the row that was changed behind the database's back", async () => {
    const gym = await aGym(orm, { members: 4 });
    const room = `class:${gym.sessionId}`;
    for (const m of gym.members) ok(await (await connect(m.id)).command(room, "class:book", { sessionId: gym.sessionId }));
    const before = await auditRows(orm, room);
    expect(before).toHaveLength(4);
    await sqlAsSuperuser(
      orm,
      `update audit_log set summary = jsonb_set(summary, '{after,status}', '"cancelled"') where chain = ? and seq = 3`,
      [room],
    );
    const report = await verifyAudit(orm.em.fork(), gym.gymId);
    expect(report.broken).toMatchObject({ gymId: gym.gymId, chain: room, seq: 3, what: "hash", found: before[2]!.hash });
    expect(report.broken!.expected).not.toBe(before[2]!.hash);
    if (target.name === "PostgreSQL") {
      const cli = await runAuditVerify({ DATABASE_URL: db!.url }, ["--gym", gym.gymId]);
      expect(cli.code).toBe(1);
      expect(cli.stdout).toContain(
        `broken: gym ${gym.gymId} chain ${room} seq 3 (hash): expected ${report.broken!.expected}, found ${before[2]!.hash}`,
      );
    }
  });

  it("finds a deleted row as a gap in seq", async () => {
    const gym = await aGym(orm, { members: 3 });
    for (const m of gym.members)
      ok(await (await connect(m.id)).command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId }));
    await sqlAsSuperuser(orm, `delete from audit_log where chain = ? and seq = 2`, [`class:${gym.sessionId}`]);
    expect((await verifyAudit(orm.em.fork(), gym.gymId)).broken).toMatchObject({ seq: 2, what: "seq", expected: "seq 2", found: "seq 3" });
  });

  it("lets owners and admins read the trail newest first, page back, and filter by action and actor", async () => {
    const gym = await aGym(orm, { members: 3 });
    const room = `class:${gym.sessionId}`;
    for (const m of gym.members) ok(await (await connect(m.id)).command(room, "class:book", { sessionId: gym.sessionId }));
    const owner = await connect(gym.ownerId);
    ok(await owner.command(room, "class:setCapacity", { sessionId: gym.sessionId, capacity: 30 }));
    type Page = { rows: { seq: number; actorName: string | null }[]; nextBeforeSeq: number | null };
    const read = async (payload: object) => ok(await owner.command(`gym:${gym.gymId}`, "gym:auditLog", payload)) as Page;
    const newest = await read({ limit: 2 });
    const [fourth, third] = newest.rows.map((r) => r.seq);
    expect(fourth).toBeGreaterThan(third!);
    expect(newest.rows[0]).toMatchObject({
      action: "class:setCapacity",
      actorId: gym.ownerId,
      role: "owner",
      summary: { before: { capacity: 20 }, after: { capacity: 30 } },
    });
    expect(newest.nextBeforeSeq).toBe(third);
    const older = await read({ limit: 2, beforeSeq: third });
    expect(older.nextBeforeSeq).toBeNull();
    expect(older.rows).toHaveLength(2);
    expect(older.rows[0]!.seq).toBeLessThan(third!);
    expect(older.rows[0]!.seq).toBeGreaterThan(older.rows[1]!.seq);
    expect((await read({ action: "class:book" })).rows).toHaveLength(3);
    expect((await read({ actorId: gym.members[1]!.id })).rows.map((r) => r.actorName)).toEqual([gym.members[1]!.name]);
    const coach = await connect(gym.coachId);
    expect(await coach.command(`gym:${gym.gymId}`, "gym:auditLog", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("refuses UPDATE, DELETE and TRUNCATE of audit rows, and rewinding the chain head", async () => {
    const gym = await aGym(orm, { members: 1 });
    ok(await (await connect(gym.members[0]!.id)).command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId }));
    await settleAnchors(orm);
    const conn = orm.em.getConnection();
    await expect(conn.execute(`update audit_log set action = 'x' where gym_id = ?`, [gym.gymId])).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(conn.execute(`delete from audit_log where gym_id = ?`, [gym.gymId])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(conn.execute(`truncate audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    await expect(conn.execute(`update audit_head set seq = 0 where gym_id = ?`, [gym.gymId])).rejects.toThrow(/only moves forward/);
    await expect(conn.execute(`delete from audit_head where gym_id = ?`, [gym.gymId])).rejects.toThrow(/only moves forward/);
    expect(await verifyAudit(orm.em.fork(), gym.gymId)).toMatchObject({ rows: 1, gyms: 1, broken: null });
  });
});

describe("npm run audit:verify on an embedded DATA_DIR", () => {
  const dataDir = makeTempDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("says ok with the row and gym counts, then exits 1 naming the tampered link", async () => {
    const t = await startTestServer({ DATA_DIR: dataDir });
    const gym = await aGym(t.server.db.orm, { members: 2 });
    for (const m of gym.members) {
      const s = await connectAs(t.server, m.id);
      ok(await s.command(`class:${gym.sessionId}`, "class:book", { sessionId: gym.sessionId }));
      s.close();
    }
    await t.cleanup();
    expect(await runAuditVerify({ DATA_DIR: dataDir })).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^ok: 2 rows in 1 gyms \(2 chains, \d+ anchors, 0 rows not yet anchored\)\n$/),
    });
    const db = await openDatabase(embeddedTarget(dataDir), 1);
    const room = `class:${gym.sessionId}`;
    const found = (await auditRows(db.orm, room))[1]!.hash;
    await sqlAsSuperuser(db.orm, `update audit_log set actor_id = ? where chain = ? and seq = 2`, [gym.members[0]!.id, room]);
    await db.close();
    const cli = await runAuditVerify({ DATA_DIR: dataDir }, ["--gym", gym.gymId]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toMatch(
      new RegExp(`^broken: gym ${gym.gymId} chain ${room} seq 2 \\(hash\\): expected [0-9a-f]{64}, found ${found}\n$`),
    );
  }, 60_000);
});
