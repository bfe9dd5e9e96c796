/**
 * A class commit's writes: new rows go whole as plain data (no `em.create`), rows that existed as MikroORM computes their
 * change set (only what changed, no merge into the unit of work). Regression: an attendance recorded and removed in the same batch was an
 * insert plus a delete of a row not yet there — the delete runs first in the statement, so the row stayed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClassStateEvent } from "../../../domain/class/index.js";
import type { Booking, WaitlistEntry } from "../../../domain/model.js";
import type { ClassRoomState } from "../../../domain/views/classView.js";
import { openDatabase, type Database } from "../../../server/db/orm.js";
import { classChanges } from "../../../server/persistence/classChanges.js";

describe("a class commit's writes", () => {
  let db: Database;
  const gymId = randomUUID();
  const sessionId = randomUUID();
  const now = Date.now();
  const existing: Booking = {
    id: randomUUID(),
    gymId,
    sessionId,
    memberId: randomUUID(),
    status: "booked",
    createdAt: now - 1_000,
    updatedAt: now - 1_000,
    creditUsed: false,
    promotedFromWaitlist: false,
  };
  const waiting = (position: number): WaitlistEntry => ({
    id: randomUUID(),
    gymId,
    sessionId,
    memberId: randomUUID(),
    position,
    status: "waiting",
    createdAt: now - 1_000,
    updatedAt: now - 1_000,
    offerExpiresAt: null,
    reason: null,
  });
  const queue = [waiting(1), waiting(2), waiting(3)];
  const base = {
    cls: { session: { id: sessionId, gymId }, members: {}, bookings: [existing], waitlist: queue, board: { workout: null, results: [] } },
  } as unknown as ClassRoomState;

  beforeAll(async () => {
    db = await openDatabase({ kind: "pglite", dir: "memory://" });
  });

  afterAll(async () => {
    await db?.close();
  });

  const changes = (events: ClassStateEvent[]) => {
    const em = db.orm.em.fork();
    const out = classChanges(em, base, events, now);
    em.clear();
    return out.writes;
  };

  it("writes a new booking whole and an existing one's changed columns only", () => {
    const fresh: Booking = { ...existing, id: randomUUID(), memberId: randomUUID(), createdAt: now, updatedAt: now };
    const writes = changes([
      { type: "booking.created", booking: fresh },
      { type: "booking.updated", booking: { ...existing, status: "cancelled", updatedAt: now } },
    ]);
    const insert = writes.find((w) => w.sql.startsWith('insert into "booking"'));
    const update = writes.find((w) => w.sql.startsWith('update "booking"'));
    expect(insert?.params.join()).toContain(fresh.id);
    expect(insert?.params.join()).not.toContain(existing.id);
    expect(update?.sql).toMatch(/set "status" = v\."status", "updated_at" = v\."updated_at"\s/);
    expect(update?.params.join()).toContain(existing.id);
  });

  it("writes a promoted entry's status and the renumbered entries' positions, and nothing for an unchanged one", () => {
    const [first, second, third] = queue as [WaitlistEntry, WaitlistEntry, WaitlistEntry];
    const writes = changes([
      {
        type: "waitlist.updated",
        entries: [
          { ...first, status: "promoted", updatedAt: now },
          { ...second, position: 1, updatedAt: now },
          { ...third }, // the same as stored
        ],
      },
    ]);
    const updates = writes.filter((w) => w.sql.startsWith('update "waitlist_entry"'));
    expect(updates.map((u) => /set (.*)\n/.exec(u.sql)?.[1])).toEqual([
      '"status" = v."status", "updated_at" = v."updated_at"',
      '"position" = v."position", "updated_at" = v."updated_at"',
    ]);
    expect(updates[0]!.params[0]).toBe(`{"${first.id}"}`);
    expect(updates[1]!.params.slice(0, 2)).toEqual([`{"${second.id}"}`, `{"1"}`]);
    expect(writes.some((w) => w.params.join().includes(third.id))).toBe(false);
  });

  it("writes exactly the columns MikroORM's change set of the two versions' snapshots has", () => {
    // The comparator runs on the rows as they are (no snapshots): the same changed columns, instants included.
    const [entry] = queue as [WaitlistEntry];
    const offered: WaitlistEntry = { ...entry, status: "offered", offerExpiresAt: now + 60_000, updatedAt: now };
    const pairs: [WaitlistEntry, WaitlistEntry][] = [
      [entry, offered],
      [offered, { ...offered, offerExpiresAt: null, status: "waiting" }],
      [offered, { ...offered, offerExpiresAt: now + 60_000 }], // the same instant: nothing
      [entry, { ...entry, reason: "left", updatedAt: entry.updatedAt + 1 }],
      [entry, { ...entry, createdAt: entry.createdAt }],
    ];
    const em = db.orm.em.fork();
    const comparator = em.getComparator();
    const snapshot = comparator.getSnapshotGenerator<WaitlistEntry>("WaitlistEntry");
    const fields = db.orm.getMetadata().get("WaitlistEntry").properties;
    for (const [previous, next] of pairs) {
      const diff = comparator.diffEntities<WaitlistEntry>("WaitlistEntry", snapshot(previous), snapshot(next));
      const expected = Object.keys(diff).map(
        (k) => `"${fields[k as keyof WaitlistEntry]!.fieldNames[0]}" = v."${fields[k as keyof WaitlistEntry]!.fieldNames[0]}"`,
      );
      const ofBase = { ...base, cls: { ...base.cls, waitlist: [previous] } };
      const out = classChanges(em, ofBase, [{ type: "waitlist.updated", entries: [next] }], now);
      em.clear();
      const update = out.writes.find((w) => w.sql.startsWith('update "waitlist_entry"'));
      expect(update ? /set (.*)\n/.exec(update.sql)![1]!.split(", ") : []).toEqual(expected);
    }
    expect(
      pairs.filter(([a, b]) => Object.keys(comparator.diffEntities("WaitlistEntry", snapshot(a), snapshot(b))).length > 0),
    ).toHaveLength(3);
  });

  it("writes nothing for an attendance recorded and removed in the same batch", () => {
    const attendance = { id: randomUUID(), gymId, memberId: existing.memberId, sessionId, at: now };
    const writes = changes([
      { type: "attendance.recorded", attendance },
      { type: "attendance.removed", attendanceId: attendance.id },
    ]);
    expect(writes.filter((w) => w.sql.includes('"attendance_event"'))).toEqual([]);
  });

  it("deletes a stored attendance that is removed", () => {
    const id = randomUUID();
    const writes = changes([{ type: "attendance.removed", attendanceId: id }]);
    const deleted = writes.find((w) => w.sql.startsWith('delete from "attendance_event"'));
    expect(deleted?.params).toEqual([`{"${id}"}`]);
  });
});
