/**
 * Issue 15 (cold room): a gym's resident load carries each booked session's start and check-in window once per session
 * (not once per booking: 4,000 bookings of 20 sessions were 364 kB of JSON, now 200 kB); every member's bookings still
 * come with their session's times, in the whole gym's read and in a few members' read alike.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { standingsSource } from "../../../server/persistence/standingsSource.js";
import { withMigratedGym } from "../../support/migratedGym.js";
import { postgresOrPglite } from "../../support/services.js";

const pg = await postgresOrPglite();

describe("the resident standings' read of a gym", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 3 });

  it("gives each member their bookings with the session's start and check-in window, and the gym's sessions", async () => {
    const sql = (q: string, params: unknown[]) => t.db.orm.em.fork().getConnection().execute(q, params);
    const [session] = await sql(
      "select starts_at, check_in_opens_minutes as opens, check_in_closes_minutes as closes from class_session where id = ?",
      [t.gym.sessionId],
    );
    const [booked, waiting, none] = t.gym.members.map((m) => m.id) as [string, string, string];
    const book = (member: string, status: string) =>
      sql(
        `insert into booking (id, gym_id, session_id, member_id, status, created_at, updated_at, credit_used, promoted_from_waitlist)
         values (?, ?, ?, ?, ?, now(), now(), false, false)`,
        [randomUUID(), t.gym.gymId, t.gym.sessionId, member, status],
      );
    await book(booked, "booked");
    await book(waiting, "checked_in");
    const startsAt = new Date(session!.starts_at as string).getTime();
    const times = {
      sessionId: t.gym.sessionId,
      startsAt,
      checkInOpensAt: startsAt - Number(session!.opens) * 60_000,
      checkInClosesAt: startsAt + Number(session!.closes) * 60_000,
    };
    const source = standingsSource(t.db.orm);
    const since = startsAt - 86_400_000;

    const gym = await source.loadGym(t.gym.gymId, since);
    const bookings = new Map(gym!.members.map((m) => [m.memberId, m.bookings]));
    expect(bookings.get(booked)).toEqual([{ ...times, status: "booked" }]);
    expect(bookings.get(waiting)).toEqual([{ ...times, status: "checked_in" }]);
    expect(bookings.get(none)).toEqual([]);
    expect(gym!.sessionIds).toContain(t.gym.sessionId);

    const few = await source.loadMembers(t.gym.gymId, [waiting], since);
    expect(few.map((m) => [m.memberId, m.bookings])).toEqual([[waiting, [{ ...times, status: "checked_in" }]]]);
    // A few members' read carries only the sessions their bookings name, not every session of the gym.
    const other = randomUUID();
    await sql(
      `insert into class_session
       select (jsonb_populate_record(null::class_session, to_jsonb(s) || jsonb_build_object('id', ?::uuid,
                 'starts_at', s.starts_at + interval '1 day', 'ends_at', s.ends_at + interval '1 day'))).*
         from class_session s where s.id = ?`,
      [other, t.gym.sessionId],
    );
    const read: { sessions: unknown }[][] = [];
    const conn = t.db.orm.em.fork().getConnection();
    const watched = {
      em: {
        fork: () => ({
          getConnection: () => ({
            execute: async (q: string, params: unknown[]) => {
              const rows = (await conn.execute(q, params)) as { sessions: unknown }[];
              read.push(rows);
              return rows;
            },
          }),
        }),
      },
    } as unknown as Parameters<typeof standingsSource>[0];
    expect((await standingsSource(watched).loadMembers(t.gym.gymId, [waiting], since)).map((m) => m.bookings)).toEqual([
      [{ ...times, status: "checked_in" }],
    ]);
    const carried = read[0]![0]!.sessions;
    expect((typeof carried === "string" ? (JSON.parse(carried) as unknown[][]) : (carried as unknown[][])).map((s) => s[0])).toEqual([
      t.gym.sessionId,
    ]);
    expect((await source.loadGym(t.gym.gymId, since))!.sessionIds).toContain(other);
    // Bookings travel as their session's position in the gym row's sessions: each maps back to its own session.
    await sql(
      `insert into booking (id, gym_id, session_id, member_id, status, created_at, updated_at, credit_used, promoted_from_waitlist)
       values (?, ?, ?, ?, 'booked', now(), now(), false, false)`,
      [randomUUID(), t.gym.gymId, other, booked],
    );
    const two = (await source.loadGym(t.gym.gymId, since))!.members.find((m) => m.memberId === booked)!.bookings;
    const day = 86_400_000;
    expect([...two].sort((a, b) => a.startsAt - b.startsAt)).toEqual([
      { ...times, status: "booked" },
      {
        sessionId: other,
        startsAt: startsAt + day,
        checkInOpensAt: times.checkInOpensAt + day,
        checkInClosesAt: times.checkInClosesAt + day,
        status: "booked",
      },
    ]);
    await sql("delete from booking where session_id = ?", [other]);
    // A session before `since` is not kept.
    expect((await source.loadGym(t.gym.gymId, startsAt + 1))!.members.every((m) => m.bookings.length === 0)).toBe(true);
  });

  it("reads a gym as its own row and then one row per member, not one JSON value of every member", async () => {
    const conn = t.db.orm.em.fork().getConnection();
    const read: unknown[][] = [];
    const watched = {
      em: {
        fork: () => ({
          getConnection: () => ({
            execute: async (q: string, params: unknown[]) => {
              const rows = (await conn.execute(q, params)) as unknown[];
              read.push(rows);
              return rows;
            },
          }),
        }),
      },
    } as unknown as Parameters<typeof standingsSource>[0];
    const [{ n }] = (await conn.execute("select count(*)::int as n from gym_membership where gym_id = ?", [t.gym.gymId])) as [
      { n: number },
    ];
    const gym = await standingsSource(watched).loadGym(t.gym.gymId, Date.now() - 86_400_000);
    expect(gym!.members).toHaveLength(n);
    // The driver parses each row as its network chunk arrives: the biggest value parsed in one piece is one member.
    expect(read[0]).toHaveLength(n + 1);
    expect(await standingsSource(t.db.orm).loadGym(randomUUID(), Date.now())).toBeNull();
  });
});
