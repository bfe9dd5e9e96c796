import type { AccessReads } from "../../app/access/accessReads.js";
import { isStaffRole } from "../../domain/roles.js";
import { isUuid, parseRoomId, type Audience, type RoomId } from "../../domain/protocol/envelope.js";
import type { Caller } from "../../rooms/ports.js";
import { Batcher } from "../../rooms/batcher.js";
import type { ResidentStandings } from "../../rooms/residentStandings.js";

export type Access =
  { ok: true; audience: Audience; caller: Caller; gymId: string | null } | { ok: false; code: "NOT_FOUND" | "FORBIDDEN"; message?: string };

/**
 * Who may watch or command a room, decided on every call from the gym's resident standings (memory;
 * a revocation reaches them as an invalidation note on every node, so it takes effect on the next
 * command) or, without them, from the database: `user:` rooms only by that user; `gym:`/`class:`
 * rooms by people with a membership in that gym (staff see the staff audience). Everything else
 * is NOT_FOUND, so nobody learns that another gym's rooms exist.
 */
export class AccessControl {
  private readonly sessionGym = new Map<string, string>();
  /** Checks under way that took the reading path, by room (see `check`). */
  private readonly reading = new Map<RoomId, number>();

  constructor(
    /** Reads when a gym is not resident (batched). */
    private readonly reads: AccessReads,
    /** Members resident in memory: a membership check is a memory read (kept current by invalidation notes). */
    private readonly resident?: ResidentStandings,
  ) {}

  async gymOf(room: RoomId): Promise<string | null> {
    const { kind, id } = parseRoomId(room);
    if (kind === "gym") return id;
    if (kind === "user") return null;
    // Sessions of a resident gym are known from its load (memory); others are read (and kept) here.
    return this.resident?.gymOfSession(id) ?? this.sessionGym.get(id) ?? (isUuid(id) ? ((await this.sessionGyms.load(id)) ?? null) : null);
  }

  /**
   * Sessions' gyms, looked up together: a thousand first joins of one class make one query, and first joins of a
   * hundred classes a few (plain SQL: an entity query per room was a millisecond of CPU on every cold join).
   */
  private readonly sessionGyms = new Batcher<string, string>(async (ids) => {
    const rows = await this.reads.sessionGyms(ids);
    if (this.sessionGym.size > 50_000) this.sessionGym.clear();
    const gymOf = new Map<string, string>(rows.map((r) => [r.id.toLowerCase(), r.gymId]));
    const found = new Map<string, string>();
    // Keyed as asked (room ids keep their case; PostgreSQL answers lowercase).
    for (const id of ids) {
      const gymId = gymOf.get(id.toLowerCase());
      if (gymId === undefined) continue;
      found.set(id, gymId);
      this.sessionGym.set(id, gymId);
    }
    return found;
  });

  /**
   * A class session's gym with the user's membership there, when neither is known here (the gym not in memory, the
   * session not seen): one statement for both, batched, instead of the gym first and the membership after it.
   * Undefined when the gym is known (the ordinary path reads the membership); null when there is no such session.
   */
  private async unknownSession(
    userId: string,
    sessionId: string,
  ): Promise<{ gymId: string; membership: Caller["membership"] } | null | undefined> {
    if (!isUuid(userId) || !isUuid(sessionId) || this.resident?.gymOfSession(sessionId) || this.sessionGym.has(sessionId)) return undefined;
    return (await this.sessionMembers.load(`${sessionId} ${userId.toLowerCase()}`)) ?? null;
  }

  private readonly sessionMembers = new Batcher<string, { gymId: string; membership: Caller["membership"] }>(async (keys) => {
    const asked = keys.map((key) => {
      const [sessionId, userId] = key.split(" ") as [string, string];
      return { sessionId, userId };
    });
    const rows = await this.reads.sessionMemberships(asked);
    const byPair = new Map(rows.map((r) => [`${r.sessionId.toLowerCase()} ${r.userId.toLowerCase()}`, r]));
    const found = new Map<string, { gymId: string; membership: Caller["membership"] }>();
    if (this.sessionGym.size > 50_000) this.sessionGym.clear();
    for (const { sessionId, userId } of asked) {
      const r = byPair.get(`${sessionId.toLowerCase()} ${userId}`);
      if (!r) continue;
      const gymId = r.gymId.toLowerCase();
      this.sessionGym.set(sessionId, gymId);
      found.set(`${sessionId} ${userId}`, { gymId, membership: r.membership ? { gymId, ...r.membership } : null });
    }
    return found;
  });

  /** `warm`: start loading the gym's members now when they are not resident (see {@link check}). */
  async membership(userId: string, gymId: string, warm = true): Promise<Caller["membership"]> {
    // A token's subject may be any string (external identity providers): only a UUID can own a membership row,
    // and asking PostgreSQL for `user_id = 'auth0|x'` fails the query (it answered INTERNAL / HTTP 500).
    if (!isUuid(userId) || !isUuid(gymId)) return null;
    if (this.resident?.isLoaded(gymId.toLowerCase())) {
      const m = await this.resident.member(gymId.toLowerCase(), userId.toLowerCase());
      return m ? { gymId: gymId.toLowerCase(), role: m.role, status: m.status } : null;
    }
    // The gym's first request: its members load in the background (the room it asks for loads meanwhile);
    // this one membership is one small read, so the first join does not wait for the whole gym.
    if (warm) this.resident?.warm(gymId.toLowerCase());
    return (await this.memberships.load(`${gymId.toLowerCase()} ${userId.toLowerCase()}`)) ?? null;
  }

  /**
   * Memberships asked for while a lookup runs are read together in the next one: still read after each
   * request arrived (a revocation counts from the next command), but one query per batch, not per command.
   */
  private readonly memberships = new Batcher<string, NonNullable<Caller["membership"]>>(async (keys) => {
    const byGym = new Map<string, string[]>();
    for (const key of keys) {
      const [gymId, userId] = key.split(" ") as [string, string];
      // Pushed, not copied: a cold gym's first storm asks for up to a batch of 500 members at once (O(n²) before).
      const ids = byGym.get(gymId);
      if (ids) ids.push(userId);
      else byGym.set(gymId, [userId]);
    }
    const found = new Map<string, NonNullable<Caller["membership"]>>();
    await Promise.all(
      [...byGym].map(async ([gymId, userIds]) => {
        const rows = await this.reads.memberships(gymId, userIds);
        for (const r of rows) found.set(`${gymId} ${r.userId.toLowerCase()}`, { gymId, role: r.role, status: r.status });
      }),
    );
    return found;
  });

  /**
   * A join warms the gym's members too (regression: a join that left them unloaded made the member's first booking
   * wait for the whole gym, 1–3 s in the member-app test against ~0.1 s).
   */
  check(userId: string, room: RoomId): Promise<Access> {
    const known = this.checkNow(userId, room);
    return known ? Promise.resolve(known) : this.read(userId, room);
  }

  /** {@link check}'s answer when memory gives it at once (no promise, no wait); undefined when it takes a read. */
  checkNow(userId: string, room: RoomId): Access | undefined {
    const { kind, id } = parseRoomId(room);
    if (kind === "user") {
      return id === userId
        ? { ok: true, audience: "owner", caller: { userId, membership: null }, gymId: null }
        : { ok: false, code: "NOT_FOUND" };
    }
    // A class or gym of a resident gym and a member resident there: decided from memory, without a wait — unless
    // checks of the same room that needed a read are still running (a gym loading): this one must not overtake them
    // to the room. Per room: one node-wide count kept every check of a storm on the reading path (issue 15).
    // The session's gym from the resident gym's load, or as read here before (a session outside the load's window).
    const gymId = kind === "gym" ? id : (this.resident?.gymOfSession(id) ?? this.sessionGym.get(id));
    if (!this.reading.has(room) && gymId !== undefined && isUuid(userId) && isUuid(gymId)) {
      const m = this.resident?.memberNow(gymId.toLowerCase(), userId.toLowerCase());
      if (m) return this.decide(userId, gymId, { gymId: gymId.toLowerCase(), role: m.role, status: m.status });
    }
    return undefined;
  }

  private async read(userId: string, room: RoomId): Promise<Access> {
    this.reading.set(room, (this.reading.get(room) ?? 0) + 1);
    try {
      const { kind, id } = parseRoomId(room);
      const first = kind === "class" ? await this.unknownSession(userId, id) : undefined;
      if (first === null) return { ok: false, code: "NOT_FOUND" };
      if (first) this.resident?.warm(first.gymId);
      const gymId = first ? first.gymId : await this.gymOf(room);
      if (!gymId) return { ok: false, code: "NOT_FOUND" };
      return this.decide(userId, gymId, first ? first.membership : await this.membership(userId, gymId, true));
    } finally {
      const left = this.reading.get(room)! - 1;
      if (left > 0) this.reading.set(room, left);
      else this.reading.delete(room);
    }
  }

  private decide(userId: string, gymId: string, membership: Caller["membership"]): Access {
    if (!membership) return { ok: false, code: "NOT_FOUND" };
    const staff = isStaffRole(membership.role);
    // A revoked staff account or a cancelled membership keeps no access to the gym's live rooms.
    if (membership.status === "cancelled" || (staff && membership.status !== "active")) {
      const message = staff
        ? "Your staff access to this gym is not active — ask the owner."
        : "Your membership is cancelled — ask the front desk to rejoin.";
      return { ok: false, code: "FORBIDDEN", message };
    }
    return { ok: true, audience: staff ? "staff" : "public", caller: { userId, membership }, gymId };
  }
}
