/**
 * The socket side of the dispatch table (server/realtime/requestDispatch.ts) with in-memory ports: parse → look up
 * → check who may → call → ack, for gym requests and the caller's own user room. The same requests over real
 * sockets and PostgreSQL are in authorizationMatrix.test.ts and the area tests.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "../../../domain/errors.js";
import type { RoomId } from "../../../domain/protocol/envelope.js";
import type { AccessControl } from "../../../server/realtime/access.js";
import { createRequestDispatch } from "../../../server/realtime/requestDispatch.js";
import type { RequestPorts } from "../../../server/realtime/requestTable.js";

const GYM = "11111111-1111-4111-8111-111111111111";
const ME = "22222222-2222-4222-8222-222222222222";
const OTHER = "33333333-3333-4333-8333-333333333333";
const now = () => 1_000_000;

function aDispatch() {
  const roles: Record<string, { audience: "public" | "staff"; role: string } | "cancelled"> = {
    [ME]: { audience: "public", role: "member" },
  };
  const calls: { name: string; args: unknown[] }[] = [];
  const channels: string[] = [];
  const record =
    (name: string, result: unknown) =>
    async (...args: unknown[]) => {
      calls.push({ name, args });
      return typeof result === "function" ? (result as (...a: unknown[]) => unknown)(...args) : result;
    };
  const access = {
    check: async (userId: string, room: string) => {
      const r = roles[userId];
      if (room !== `gym:${GYM}` || !r) return { ok: false, code: "NOT_FOUND" };
      if (r === "cancelled") return { ok: false, code: "FORBIDDEN", message: "Your membership was cancelled." };
      return { ok: true, audience: r.audience, caller: { userId, membership: { gymId: GYM, role: r.role, status: "active" } }, gymId: GYM };
    },
  } as unknown as AccessControl;
  const ports = {
    feed: {
      store: {
        page: record("page", { cards: [], nextCursor: null }),
        setDefaultVisibility: record("visibility", (_u: unknown, v: unknown) => ({ visibility: v })),
        moderationItems: record("moderation", { items: [1, 2] }),
      },
      readAudit: { record: record("audit", undefined) },
      now,
    },
    training: {
      store: { leaderboard: record("board", { board: "attendance" }), logWorkout: record("log", { workoutId: "w1" }) },
      membership: { check: async (_u: string, gymId: string) => (gymId === GYM ? null : new DomainError("NOT_FOUND")) },
      now,
    },
    desk: { reads: { profileBase: record("profile", null) }, readAudit: { record: record("audit", undefined) }, now },
    me: { codes: { issue: record("code", { code: "c", expiresAt: 1 }) }, now },
    signIn: undefined,
  } as unknown as RequestPorts;
  const dispatch = createRequestDispatch({ ports, access, userExists: async (userId) => userId === ME });
  const ask = (type: string, payload: unknown, room = `gym:${GYM}`, userId = ME) =>
    dispatch.dispatch({
      userId,
      room: room as RoomId,
      type,
      payload,
      commandId: "cmd-1",
      channels: { join: (c) => channels.push(`+${c}`), leave: (c) => channels.push(`-${c}`) },
    });
  return { dispatch, ask, roles, calls, channels };
}

const workout = { exercises: [{ movement: "Row", sets: [{ meters: 500, ms: 100_000 }] }] };

describe("the request dispatch", () => {
  it("knows the table's requests, not room commands, prototype keys, or sign-in requests on a node without sign-in", () => {
    const { dispatch } = aDispatch();
    expect(dispatch.handles("feed:watch")).toBe(true);
    for (const type of ["class:book", "constructor", "__proto__", "user:sessions", "gym:invite"])
      expect(dispatch.handles(type)).toBe(false);
  });

  it("subscribes the socket to the feed before reading the first page", async () => {
    const { ask, channels } = aDispatch();
    expect(await ask("feed:watch", {})).toEqual({ ok: true, result: { cards: [], nextCursor: null } });
    expect(channels).toEqual([`+feed:${GYM}`, `+feed:${GYM}:user:${ME}`]);
  });

  it("answers an invalid payload with the failing fields, and a bad cursor with the cursor field", async () => {
    const { ask } = aDispatch();
    expect(await ask("feed:react", { eventId: "x", kind: "kudos" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { eventId: expect.any(String) } },
    });
    expect(await ask("feed:page", { cursor: "zz" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { cursor: "Not a cursor" } },
    });
  });

  it("refuses staff requests to members and owner-only requests to the front desk, and audits a staff read", async () => {
    const { ask, roles, calls } = aDispatch();
    expect(await ask("gym:moderationItems", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    roles[ME] = { audience: "staff", role: "front_desk" };
    expect(await ask("gym:moderationItems", {})).toEqual({ ok: true, result: { items: [1, 2] } });
    expect(calls.filter((c) => c.name === "audit").at(-1)?.args[0]).toMatchObject({
      action: "gym:moderationItems",
      actorId: ME,
      summary: { items: 2 },
      commandId: "cmd-1",
    });
    expect(await ask("gym:auditLog", {})).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("answers another gym's room and non-gym rooms NOT_FOUND, a cancelled membership FORBIDDEN with its words, a null result NOT_FOUND", async () => {
    const { ask, roles } = aDispatch();
    expect(await ask("gym:me", {}, `gym:${OTHER}`)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await ask("gym:me", {}, `class:${GYM}`)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    roles[ME] = { audience: "staff", role: "owner" };
    expect(await ask("gym:memberProfile", { memberId: OTHER })).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    roles[ME] = "cancelled";
    expect(await ask("gym:me", {})).toEqual({ ok: false, error: { code: "FORBIDDEN", message: "Your membership was cancelled." } });
  });

  it("watches leaderboards on request and hands the store the board query without `watch`", async () => {
    const { ask, calls, channels } = aDispatch();
    expect(await ask("gym:leaderboard", { board: "attendance", period: "week", watch: true })).toMatchObject({ ok: true });
    expect(channels).toEqual([`+board:${GYM}`]);
    expect(calls.find((c) => c.name === "board")?.args.slice(2, 4)).toEqual([false, { board: "attendance", period: "week" }]);
  });

  it("answers user: requests on the caller's own room only, for a user with a row, with the table's words for a bad visibility", async () => {
    const { ask } = aDispatch();
    expect(await ask("feed:setDefaultVisibility", { visibility: "gym" }, `user:${ME}`)).toEqual({
      ok: true,
      result: { visibility: "gym" },
    });
    expect(await ask("feed:setDefaultVisibility", { visibility: "everyone" }, `user:${ME}`)).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { visibility: "One of public, followers, gym, private" } },
    });
    expect(await ask("user:checkInCode", {}, `user:${OTHER}`)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await ask("user:checkInCode", {}, `user:${OTHER}`, OTHER)).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await ask("user:checkInCode", {}, `user:${ME}`)).toEqual({ ok: true, result: { code: "c", expiresAt: 1 } });
  });

  it("logs a workout only in a gym of the caller, without the gym id in the workout", async () => {
    const { ask, calls } = aDispatch();
    expect(await ask("user:logWorkout", { ...workout, gymId: OTHER }, `user:${ME}`)).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(await ask("user:logWorkout", { ...workout, gymId: GYM }, `user:${ME}`)).toEqual({ ok: true, result: { workoutId: "w1" } });
    const input = calls.find((c) => c.name === "log")?.args[0] as { gymId: string; memberId: string; commandId: string; workout: object };
    expect(input).toMatchObject({ gymId: GYM, memberId: ME, commandId: "cmd-1" });
    expect("gymId" in input.workout).toBe(false);
  });
});
