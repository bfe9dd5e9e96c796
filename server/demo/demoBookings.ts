/**
 * The demo's upcoming bookings and waitlists, made by the class rooms as a node would: the owner imports the bookings
 * (`gym:importBookings`, one `class:book` per row through the rooms, as on the Import screen), then each waitlisted
 * member asks for a place in a full class (`class:book` with `waitlist`, as in the member app). The rooms run on this
 * process only while seeding (no sockets, nobody watching), with the seed's clock; their commits and side effects are
 * done before it returns.
 */
import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { importBookings } from "../../app/admin/bookingImport.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { Booking, ClassSession, ClassType, User, WaitlistEntry } from "../../domain/model.js";
import { localDate, wallClock } from "../../domain/schedule/timeZone.js";
import { LocalBus, LocalDirectory } from "../../rooms/coordination.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { ResidentStandings } from "../../rooms/residentStandings.js";
import { RoomRouter } from "../../rooms/RoomRouter.js";
import { accessReads } from "../persistence/accessReads.js";
import { bookingImportStore } from "../persistence/bookingImportStore.js";
import { classStore } from "../persistence/classStore.js";
import { gymStore } from "../persistence/gymStore.js";
import { settleOutbox } from "../persistence/outbox.js";
import { standingsSource } from "../persistence/standingsSource.js";
import { userStore } from "../persistence/userStore.js";
import { AccessControl } from "../realtime/access.js";
import { classCommands } from "../realtime/classCommands.js";
import { accepted } from "./demoPorts.js";

const quiet = { info: () => undefined, warn: () => undefined, error: (obj: object, msg?: string) => console.error(msg ?? "", obj) };

/** Class rooms on this process for `work`, then closed with everything committed and applied. */
async function withRooms<T>(orm: MikroORM, now: number, work: (r: { router: RoomRouter; access: AccessControl }) => Promise<T>) {
  const deps = { orm, nodeId: "demo-seed", now: () => now, idempotencyWindowMs: 86_400_000 };
  // The gym's members in memory, as on a node: one read for the gym instead of standings read per class.
  const resident = new ResidentStandings(standingsSource(orm, deps.now), deps.now, 60_000, 0);
  const registry = new RoomRegistry(
    {
      now: deps.now,
      newId: randomUUID,
      log: quiet,
      broadcaster: { delta: () => undefined, reset: () => undefined, revoke: () => undefined, watched: () => false },
      flushMaxBatch: 128,
      flushMaxDelayMs: 2,
      ringSize: 256,
      idempotencyWindowMs: deps.idempotencyWindowMs,
      onFlush: () => undefined,
      onFlushFailure: () => undefined,
    },
    {
      classes: classStore(deps),
      gyms: gymStore(deps, async () => null),
      users: userStore(deps),
      resident: { resident, userOfCode: () => null },
    },
    60_000,
  );
  const router = new RoomRouter({
    node: deps.nodeId,
    directory: new LocalDirectory(),
    bus: new LocalBus(),
    registry,
    log: quiet,
    now: deps.now,
    requestTimeoutMs: 15_000,
  });
  await router.start();
  try {
    return await work({ router, access: new AccessControl(accessReads(orm), resident) });
  } finally {
    await router.close();
    await settleOutbox(orm);
    resident.close();
  }
}

/** Books `bookings` (all in upcoming classes) through the bookings import as `ownerId`, then queues `waitlist` in order. */
export async function bookDemoAhead(
  orm: MikroORM,
  d: {
    gymId: string;
    timeZone: string;
    ownerId: string;
    users: readonly User[];
    classTypes: readonly ClassType[];
    sessions: readonly ClassSession[];
    bookings: readonly Booking[];
    waitlist: readonly WaitlistEntry[];
  },
  now: number,
): Promise<void> {
  const email = new Map(d.users.map((u) => [u.id, u.email]));
  const typeName = new Map(d.classTypes.map((t) => [t.id, t.name]));
  const session = new Map(d.sessions.map((s) => [s.id, s]));
  const time = (at: number) => {
    const w = wallClock(at, d.timeZone);
    return `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
  };
  const rows = d.bookings.map((b) => {
    const s = session.get(b.sessionId)!;
    return [email.get(b.memberId)!, typeName.get(s.classTypeId)!, localDate(s.startsAt, d.timeZone), time(s.startsAt)];
  });
  await withRooms(orm, now, async ({ router, access }) => {
    const owner = { userId: d.ownerId, role: "owner", gymId: d.gymId, commandId: null, now };
    const report = await accepted(
      "upcoming bookings",
      importBookings({ store: bookingImportStore(orm), classes: classCommands({ access, router, now: () => now }) }, owner, {
        rows: [["Email", "Class", "Date", "Time"], ...rows],
        commit: true,
      }),
    );
    if (report.counts.book !== rows.length) throw new Error(`demo upcoming bookings: ${report.counts.book} of ${rows.length} booked`);
    for (const w of d.waitlist) {
      const room: RoomId = `class:${w.sessionId}`;
      const allowed = await access.check(w.memberId, room);
      if (!allowed.ok) throw new Error(`demo waitlist: ${allowed.code}`);
      const ack = await router.send(room, {
        kind: "command",
        caller: allowed.caller,
        commandId: `demo-wait-${w.id}`,
        type: "class:book",
        payload: { sessionId: w.sessionId, waitlist: true },
        receivedAt: now,
      });
      const status = ack.ok ? (ack.result as { status?: string } | null)?.status : ack.error.message;
      if (status !== "waitlisted") throw new Error(`demo waitlist place refused: ${status}`);
    }
  });
}
