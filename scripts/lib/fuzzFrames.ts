/**
 * The protocol fuzzer shared by `test/server/realtime/fuzz.test.ts` (short form, CI) and `npm run fuzz` (long form):
 *
 * 1. a seeded generator of hostile frames — the same seed gives the same frames on every machine;
 * 2. a raw WebSocket client that speaks Engine.IO v4 / Socket.IO v5 by hand, so a frame can be anything;
 * 3. a runner that drives several such clients against a live server while a staff bystander commands
 *    and watches the attacked class, and reports every broken expectation.
 *
 * Only timing-dependent answers (which frames a flood gets `RATE_LIMITED`) differ between runs of one seed.
 */
import { mulberry32 } from "../../server/demo/prng.js";
import { randomUUID } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import type { MikroORM } from "@mikro-orm/core";
import WebSocket from "ws";
import { ErrorCodes } from "../../domain/errors.js";
import { CommandSchemas, isCommandType, parseCommand } from "../../domain/protocol/commands.js";
import { CommandEnvelopeSchema, type Ack, type JoinResult, type RoomDelta } from "../../domain/protocol/envelope.js";
import { applyPatch } from "../../domain/protocol/patch.js";
import { FeedCommandSchemas, type FeedCommandType } from "../../domain/protocol/feed.js";
import { QuerySchemas, type QueryType } from "../../domain/protocol/queries.js";
import { SetupSchemas } from "../../domain/protocol/setup.js";
import { WorkoutSizeLimits } from "../../domain/protocol/workouts.js";
import { signToken } from "../../server/auth.js";
import type { SpotterServer } from "../../server/createServer.js";
import { BookingEntity } from "../../server/db/entities/index.js";
import { aGym } from "./gymFixture.js";
import { connectAs, type TestSocket } from "./sockets.js";

// ─── Randomness ────────────────────────────────────────────────────────────────────────────────

class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => "0123456789abcdef"[this.int(0, 15)]).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
  text(length: number, alphabet = "abcXYZ019 _-:./%\\\"'<>{}[]\u00e9\u4e2d\u{1f4aa}"): string {
    const chars = [...alphabet];
    return Array.from({ length }, () => this.pick(chars)).join("");
  }
}

// ─── Frames ────────────────────────────────────────────────────────────────────────────────────

/** What a frame tries. `flood` is a burst of hundreds of commands faster than the rate limit. */
export const Categories = {
  "envelope-types": 10,
  "envelope-shape": 8,
  "payload-mutation": 22,
  query: 7,
  "join-leave": 8,
  "huge-within-limit": 4,
  "huge-beyond-limit": 1,
  "deep-nesting": 3,
  unicode: 6,
  "unstorable-text": 4,
  "invalid-utf8": 1,
  "binary-attachment": 3,
  "binary-raw": 1,
  "unknown-event": 5,
  "ack-missing": 4,
  "socketio-garbage": 3,
  "engineio-garbage": 2,
} as const;
/** A frame's kind; `flood` frames come in bursts faster than the rate limit (see {@link FrameGenerator.flood}). */
export type Category = keyof typeof Categories | "flood";

/**
 * `ack`: the server must answer with a typed Ack and keep the connection.
 * `silent`: the server must not answer (no ack requested, or an event nobody handles) and keep the connection.
 * `may-close`: a protocol violation below the app (Engine.IO/Socket.IO/WebSocket): closing is a valid answer.
 */
export type Expectation = "ack" | "silent" | "may-close";

export interface FuzzFrame {
  category: Category;
  /** WebSocket messages in order (a binary event is a text header followed by its attachments). */
  wire: { data: string | Buffer; binary: boolean }[];
  ackId: number | null;
  expect: Expectation;
  /** Set when the frame reaches a known, unfixed defect (listed in docs/security.md); excluded from the INTERNAL check. */
  knownIssue?: KnownIssue;
  /** The answer must be VALIDATION_FAILED (or RATE_LIMITED): text PostgreSQL cannot store is refused at the schema. */
  mustRefuse?: true;
}

/**
 * Defects the fuzzer reaches but that are not fixed yet: their answers are counted apart instead of failing the run.
 * Empty now — the last one (a non-UUID memberId answered INTERNAL) was fixed by making every id field a UUID.
 */
export const KnownIssues = {} as const;
export type KnownIssue = (typeof KnownIssues)[keyof typeof KnownIssues];

/** The rooms and people a lane aims at. */
export interface FuzzTargets {
  gymId: string;
  sessionId: string;
  /** The fuzzing user, and whether they are a member of `gymId` (their frames pass authorization) or of another gym. */
  selfId: string;
  member: boolean;
  otherMemberId: string;
  /** The server's frame limit (`MAX_PAYLOAD_BYTES`). */
  maxPayloadBytes: number;
}

/** Member commands that change rows when the caller is themself the target. */
const SelfServe = new Set(["class:book", "class:cancelBooking", "class:leaveWaitlist", "class:claimOffer", "class:checkIn"]);
/** Valid queries that write the caller's own rows (visibility, calendar feed, consents, deletion request). */
/** Feed requests that write rows when valid (the fuzzer neutralizes them; any room, the handler decides). */
const FeedWrites = new Set(["feed:react", "feed:comment", "feed:report", "feed:follow", "feed:block", "gym:resolveModerationItem", "feed:setDefaultVisibility"]);
const OwnRowQueries = new Set(["user:setVisibility", "user:icalLink", "user:revokeIcal", "user:consent", "user:requestDeletion", "user:logWorkout", "user:signOutEverywhere", "user:endSession"]);
/** Valid staff queries that write rows in any gym room the lane may reach (the handler decides who may). */
const StaffWrites = new Set(["gym:setMembership", "gym:invite", "gym:revokeInvitation", "gym:endStaffSessions", "gym:savePlan", "gym:assignPlan", "gym:sellPack", "gym:adjustCredits", "gym:recordPayment", "gym:waiveCharge", "gym:addMember", "gym:updateMember", "gym:freezeMember", "gym:unfreezeMember", "gym:setPolicy", "gym:publishWaiver", "gym:signWaiver", "gym:walkIn"]);

/**
 * The oracle: whether the server would accept `arg` as a command that writes rows (the fuzzer must never
 * send one — "no row changes" is asserted), and whether it reaches a known defect. It mirrors the
 * transport: envelope → query or command schema → room access → the class room's self-service rules.
 */
function judge(t: FuzzTargets, arg: unknown): { writes: boolean; knownIssue?: KnownIssue } {
  const env = CommandEnvelopeSchema.safeParse(arg);
  if (!env.success) return { writes: false };
  const { type, payload } = env.data;
  const room = env.data.room.toLowerCase();
  if (Object.hasOwn(QuerySchemas, type)) {
    const valid = QuerySchemas[type as QueryType].safeParse(payload ?? {}).success;
    return { writes: valid && ((OwnRowQueries.has(type) && room === `user:${t.selfId}`) || StaffWrites.has(type)) };
  }
  if (Object.hasOwn(SetupSchemas, type)) {
    // Every set-up request but the two reads writes rows when valid (the handler decides who may).
    const valid = SetupSchemas[type as keyof typeof SetupSchemas].safeParse(payload ?? {}).success;
    return { writes: valid && type !== "gym:setup" && type !== "gym:previewSeriesChange" };
  }
  if (Object.hasOwn(FeedCommandSchemas, type)) {
    const valid = FeedCommandSchemas[type as FeedCommandType].safeParse(payload ?? {}).success;
    return { writes: valid && FeedWrites.has(type) };
  }
  if (!isCommandType(type)) return { writes: false };
  const parsed = parseCommand(type, payload);
  if (!parsed.ok || !t.member || room !== `class:${t.sessionId}`) return { writes: false };
  const memberId = (parsed.value as { memberId?: string }).memberId;
  if (SelfServe.has(type) && (memberId === undefined || memberId === t.selfId)) return { writes: true };
  return { writes: false };
}

/** Defines `key` as an own enumerable property, also for `__proto__` (which plain assignment would not). */
function put(o: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

const Numbers = [0, -1, 1, 0.5, -0.5, 7, 500, 501, 1e308, -1e308, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 946_684_800_000, 4_102_444_800_001, 5e-324];
const Strings = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "\u{1f4aa}", "\u202eevil", "\ufeffbom", "' OR 1=1 --", "%", "%00",
  "\\", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "gym:", "class:", "user:", "__proto__", "constructor",
  "toString", "NaN", "Infinity", "null", "true", "[]", "{}", "x".repeat(65), "S1.a.b.c", "00000000-0000-0000-0000-000000000000",
];
/** Characters PostgreSQL text cannot hold as sent: NUL, lone surrogates (each frame mixes one in, sometimes beside a bidi override). */
const Unstorable = ["\u0000", "\ud800", "\udfff", "x\ud83d", "\ude00y"];
const BidiOverrides = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
/** Strings that trip encoders: NUL, lone surrogates, direction overrides, BOM, line separators, non-characters. */
const Weird = ["\u0000", "a\u0000b", "\ud800", "\udfff", "x\ud83d", "\u{1f4aa}", "\u202eevil", "\ufeffbom", "\u2028", "\uffff"];
const KeyNames = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "memberId", "gymId", "role", "isStaff", "", " ", "\u0000", "sessionId", "payload", "k".repeat(200)];
const PrototypeKeys = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "isPrototypeOf"];
const CommandTypes = Object.keys(CommandSchemas);
const QueryTypes = [...Object.keys(QuerySchemas), ...Object.keys(FeedCommandSchemas), ...Object.keys(SetupSchemas)];

/** Commands and queries with a text field, each as a valid payload around one given text (issue 14 item 7). */
const TextFields: Record<string, (t: FuzzTargets, text: string, d: Dice) => Record<string, unknown>> = {
  "class:cancel": (t, text) => ({ sessionId: t.sessionId, reason: text }),
  "class:setWorkout": (t, text, d) => (d.chance(0.5) ? { sessionId: t.sessionId, title: text, scoreType: "for_time" } : { sessionId: t.sessionId, title: "Fran", description: text, scoreType: "for_time" }),
  "schedule:createClassType": (_t, text, d) => (d.chance(0.5) ? { name: text } : { name: "Yoga", description: text }),
  "gym:checkIn": (_t, text) => ({ code: text }),
  "gym:createChallenge": (_t, text, d) => ({ kind: "distance", target: 1_000, startsAt: 1_900_000_000_000, endsAt: 1_900_086_400_000, ...(d.chance(0.5) ? { title: text } : { title: "100 km", movement: text }) }),
  "gym:leaderboard": (_t, text) => ({ board: "benchmark", period: "week", workout: text }),
  "gym:searchMembers": (_t, text) => ({ q: text }),
  "gym:auditLog": (_t, text) => ({ action: text }),
  "gym:setLegalHold": (t, text) => ({ memberId: t.otherMemberId, hold: true, reason: text }),
  "gym:savePlan": (_t, text) => ({ name: text, kind: "unlimited", priceCents: 0, billingPeriod: "month", weeklyTarget: 1, classTypeIds: [] }),
  "gym:adjustCredits": (t, text) => ({ memberId: t.otherMemberId, amount: 1, reason: text }),
  "gym:waiveCharge": (_t, text, d) => ({ chargeId: d.uuid(), reason: text }),
  "gym:recordPayment": (_t, text, d) => ({ chargeId: d.uuid(), method: "cash", reference: text }),
  "gym:addMember": (_t, text, d) => (d.chance(0.5) ? { name: text, email: "fuzz@example.com" } : { name: "Fuzz", email: "fuzz@example.com", emergencyContact: text, tags: [text] }),
  "gym:updateMember": (t, text) => ({ memberId: t.otherMemberId, notes: text }),
  "gym:freezeMember": (t, text) => ({ memberId: t.otherMemberId, until: "2099-01-12", reason: text }),
  "gym:publishWaiver": (_t, text, d) => (d.chance(0.5) ? { title: text, version: "v1", text: "I train at my own risk and say so." } : { title: "Waiver", version: "v1", text }),
  "gym:signWaiver": (_t, text) => ({ version: "v1", typedName: text, agree: true }),
  "gym:walkIn": (_t, text) => ({ name: text, email: "walkin@example.com" }),
  "gym:saveLocation": (_t, text, d) => (d.chance(0.5) ? { name: text } : { name: "Annex", address: text }),
  "gym:saveRoom": (_t, text, d) => ({ locationId: d.uuid(), name: text }),
  "gym:saveClassType": (_t, text, d) => ({ classTypeId: d.uuid(), name: text }),
  "user:logWorkout": (t, text, d) => ({ gymId: t.gymId, ...(d.chance(0.3) ? { title: text, exercises: [{ movement: "Row", sets: [{ meters: 500 }] }] } : { exercises: [{ movement: text, sets: [{ reps: 5 }] }] }) }),
  "user:consent": (_t, text) => ({ kind: "terms", version: text }),
  "feed:comment": (_t, text, d) => ({ eventId: d.uuid(), body: text }),
  "feed:report": (_t, text, d) => ({ target: "event", id: d.uuid(), reason: text }),
  "feed:page": (_t, text) => ({ cursor: text }),
};

/** A seeded, endless stream of hostile frames for one lane. */
export class FrameGenerator {
  private readonly d: Dice;
  /** Dice for payload contents added later, so the frame sequence of existing seeds stays as it was. */
  private readonly side: Dice;
  private ackSeq = 0;

  constructor(
    seed: number,
    private readonly t: FuzzTargets,
  ) {
    this.d = new Dice(seed);
    this.side = new Dice(seed ^ 0x5eed);
  }

  /** A workout valid before workouts were capped (up to 30 exercises × 50 sets) but past a cap now: refused, nothing stored. */
  private oversizedWorkout(): Record<string, unknown> {
    const d = this.side;
    const { exercisesPerLog, setsPerExercise, setsPerLog } = WorkoutSizeLimits;
    const sets = (n: number) => Array.from({ length: n }, () => ({ reps: d.int(1, 20), ...(d.chance(0.5) ? { grams: d.int(0, 200_000) } : {}) }));
    const exercises = [
      () => Array.from({ length: d.int(exercisesPerLog + 1, 30) }, (_, i) => ({ movement: `Move ${i}`, sets: sets(1) })),
      () => [{ movement: "Squat", sets: sets(d.int(setsPerExercise + 1, 50)) }],
      () => Array.from({ length: Math.ceil((setsPerLog + 1) / setsPerExercise) }, (_, i) => ({ movement: `Move ${i}`, sets: sets(setsPerExercise) })),
    ][d.int(0, 2)]!();
    return { gymId: this.t.gymId, exercises };
  }

  /** The next frame. */
  next(): FuzzFrame {
    return this.frame(this.category());
  }

  /** `n` commands and joins to send back to back, faster than any rate limit. */
  flood(n: number): FuzzFrame[] {
    return Array.from({ length: n }, () => {
      const roll = this.d.int(0, 2);
      if (roll === 0) return this.event("flood", "room:join", { room: `class:${this.d.uuid()}` });
      return this.event("flood", "command", roll === 1 ? this.junkEnvelope() : this.mutatedEnvelope(1));
    });
  }

  private category(): keyof typeof Categories {
    const entries = Object.entries(Categories) as [keyof typeof Categories, number][];
    let roll = this.d.int(1, entries.reduce((s, [, w]) => s + w, 0));
    for (const [c, w] of entries) if ((roll -= w) <= 0) return c;
    return "payload-mutation";
  }

  private frame(category: keyof typeof Categories): FuzzFrame {
    const d = this.d;
    switch (category) {
      case "envelope-types": {
        const env = this.validEnvelope();
        for (let i = d.int(1, 2); i > 0; i--) env[d.pick(["commandId", "room", "type", "payload"])] = this.wrongType();
        return this.event(category, "command", env);
      }
      case "envelope-shape": {
        const roll = d.int(0, 3);
        if (roll === 0) return this.event(category, "command", this.junk(0));
        if (roll === 1) return this.event(category, "command", ...Array.from({ length: d.int(0, 3) }, () => this.junk(1)));
        const env = this.validEnvelope();
        if (roll === 2) for (let i = d.int(1, 3); i > 0; i--) delete env[d.pick(["commandId", "room", "type", "payload"])];
        else put(env, d.pick(KeyNames), this.junk(1));
        return this.event(category, "command", env);
      }
      case "payload-mutation":
        return this.event(category, "command", this.mutatedEnvelope(d.int(0, 3)));
      case "query": {
        const type = d.pick([...QueryTypes, ...QueryTypes, d.pick(PrototypeKeys)]);
        const env: Record<string, unknown> = { commandId: this.commandId(), room: this.room(), type, payload: this.validPayload(type) };
        for (let i = d.int(0, 2); i > 0; i--) env.payload = this.mutate(env.payload);
        return this.event(category, "command", env);
      }
      case "join-leave": {
        const arg = d.pick([() => this.junk(0), () => ({ room: this.room() }), () => ({ room: this.room(), since: this.junk(1) }), () => put({ room: this.room() }, d.pick(KeyNames), 1)])();
        return this.event(category, d.chance(0.7) ? "room:join" : "room:leave", arg);
      }
      case "huge-within-limit":
      case "huge-beyond-limit": {
        const limit = this.t.maxPayloadBytes;
        const size = category === "huge-within-limit" ? d.int(Math.floor(limit / 4), limit - 1_500) : d.int(limit + 512, limit * 8);
        const env = this.validEnvelope();
        const roll = d.int(0, 3);
        const big =
          roll === 0 ? d.text(1, "x").repeat(size) : roll === 1 ? Array.from({ length: Math.floor(size / 2) }, () => 1) : roll === 2 ? this.manyKeys(Math.floor(size / 12)) : d.text(Math.floor(size / 3));
        if (d.chance(0.5) && isRecord(env.payload)) env.payload[d.pick(["sessionId", "reason", "q", "weekdays", "exceptions", "extra"])] = big;
        else env[d.pick(["commandId", "room", "type"])] = big;
        return this.event(category, "command", env);
      }
      case "deep-nesting": {
        const open = d.chance(0.5) ? "[" : '{"a":';
        // Mostly as deep as fits the frame limit; one in ten beyond it.
        const fits = Math.floor((this.t.maxPayloadBytes - 600) / (open.length + 1));
        const depth = d.chance(0.9) ? d.int(100, fits) : d.int(fits + 200, fits * 4);
        const close = open === "[" ? "]" : "}";
        const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const env = this.validEnvelope();
        const field = d.pick(["payload", "room", "commandId"]);
        const json = JSON.stringify(["command", { ...env, [field]: "@@" }]).replace('"@@"', nested);
        return this.textEvent(category, json);
      }
      case "unicode": {
        const env = this.validEnvelope();
        const weird = d.pick(Weird);
        const field = d.pick(["commandId", "room", "type", "payload"]);
        if (field === "payload" && isRecord(env.payload)) env.payload[d.pick([...Object.keys(env.payload), "q", "reason", "code"])] = weird;
        else env[field] = `${String(env[field])}${weird}`;
        const frame = this.event(category, "command", env);
        // Half the time put the lone surrogate on the wire unescaped (it goes out as U+FFFD).
        if (d.chance(0.5)) frame.wire[0]!.data = (frame.wire[0]!.data as string).replace(/\\ud[89ab][0-9a-f]{2}/i, "\ud800");
        return frame;
      }
      case "unstorable-text": {
        // An otherwise valid payload of a command or query that stores or searches text, one text field made unstorable.
        const type = d.pick(Object.keys(TextFields));
        const text = `${d.chance(0.5) ? d.pick(BidiOverrides) : ""}${d.text(d.int(0, 12))}${d.pick(Unstorable)}${d.text(d.int(0, 12))}`;
        const payload = TextFields[type]!(this.t, text, d);
        const frame = this.event(category, "command", { commandId: this.commandId(), room: this.roomFor(type), type, payload });
        return frame.expect === "ack" ? { ...frame, mustRefuse: true } : frame;
      }
      case "invalid-utf8": {
        const text = Buffer.from(`42${++this.ackSeq}${JSON.stringify(["command", this.validEnvelope()])}`);
        const bad = d.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
        const at = d.int(3, text.length - 2);
        return { category, wire: [{ data: Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]), binary: false }], ackId: null, expect: "may-close" };
      }
      case "binary-attachment": {
        const id = ++this.ackSeq;
        const env = this.validEnvelope();
        const field = d.pick(["payload", "room", "commandId", "type"]);
        const count = d.pick([1, 1, 1, 2, 11]);
        const num = d.pick([0, 0, 0, 1, -1, 99, "0"]);
        const header = `45${count}-${id}${JSON.stringify(["command", { ...env, [field]: { _placeholder: true, num } }])}`;
        const sent = d.pick([count, count, count, count - 1]);
        const wire = [{ data: header, binary: false }, ...Array.from({ length: sent }, () => ({ data: this.bytes(d.int(0, 512)), binary: true }))];
        const wellFormed = count === 1 && sent === 1 && num === 0;
        return { category, wire, ackId: wellFormed ? id : null, expect: wellFormed ? "ack" : "may-close" };
      }
      case "binary-raw":
        return { category, wire: [{ data: this.bytes(d.int(0, 2048)), binary: true }], ackId: null, expect: "may-close" };
      case "unknown-event": {
        const name = d.pick(["nope", "admin", "room:delete", "command ", "COMMAND", "room:join\u0000", "error", "__proto__", "toString", "x".repeat(300), 1, 0]);
        const id = ++this.ackSeq;
        return { category, wire: [{ data: `42${id}${JSON.stringify([name, this.validEnvelope()])}`, binary: false }], ackId: id, expect: "silent" };
      }
      case "ack-missing": {
        const event = d.pick(["command", "room:join", "room:leave"]);
        const arg = event === "command" ? this.mutatedEnvelope(d.int(0, 2)) : { room: this.room() };
        return { category, wire: [{ data: `42${JSON.stringify([event, arg])}`, binary: false }], ackId: null, expect: "silent" };
      }
      case "socketio-garbage": {
        const junk = d.pick([
          "4", "42", "42{", "42[", "42[]", "42[null]", "42{}", '42"command"', "47", "40", "40{}", "41", "43[]", "431[null]", "44{}", "45",
          "45-", "451-", "45x-[]", '4/admin,["command",{}]', '4/admin,0{}', "42-1[]", '4299999999999999999999["command",{}]', `42${"9".repeat(400)}[]`,
          `42[${'"command",'.repeat(200)}0]`,
        ]);
        return { category, wire: [{ data: junk, binary: false }], ackId: null, expect: "may-close" };
      }
      case "engineio-garbage": {
        const junk = d.pick(["", "9", "x", "0", "1", "2", "3", "5", "6", "2probe", "3probe", "0{}", "7{}", "\u0000", d.text(d.int(1, 40))]);
        return { category, wire: [{ data: junk, binary: false }], ackId: null, expect: "may-close" };
      }
    }
  }

  /** A Socket.IO EVENT with an ack id; frames over the limit are expected to close the connection. */
  private event(category: Category, name: string, ...args: unknown[]): FuzzFrame {
    if (name === "command" && args.length > 0) {
      const verdict = judge(this.t, args[0]);
      if (verdict.writes) args[0] = { ...(args[0] as object), payload: put({ ...(args[0] as { payload: object }).payload }, "fuzzed", true) };
      const frame = this.textEvent(category, JSON.stringify([name, ...args]));
      return verdict.knownIssue ? { ...frame, knownIssue: verdict.knownIssue } : frame;
    }
    return this.textEvent(category, JSON.stringify([name, ...args]));
  }

  private textEvent(category: Category, json: string): FuzzFrame {
    const id = ++this.ackSeq;
    const data = `42${id}${json}`;
    const fits = Buffer.byteLength(data) <= this.t.maxPayloadBytes - 64;
    return { category, wire: [{ data, binary: false }], ackId: fits ? id : null, expect: fits ? "ack" : "may-close" };
  }

  private validEnvelope(): Record<string, unknown> {
    const type = this.d.pick(CommandTypes);
    return { commandId: this.commandId(), room: this.roomFor(type), type, payload: this.validPayload(type) };
  }

  private mutatedEnvelope(mutations: number): Record<string, unknown> {
    const env = this.validEnvelope();
    if (this.d.chance(0.15)) env.type = this.d.pick([...PrototypeKeys, "class:nope", "gym:me ", "CLASS:BOOK", "class:updateSession", "class:book\u0000"]);
    if (this.d.chance(0.2)) env.room = this.room();
    for (let i = 0; i < mutations; i++) env.payload = this.mutate(env.payload);
    return env;
  }

  private junkEnvelope(): unknown {
    return this.d.chance(0.5) ? this.junk(0) : { commandId: this.wrongType(), room: this.room(), type: this.d.pick(CommandTypes), payload: {} };
  }

  private commandId(): string {
    return this.d.chance(0.9) ? randomLike(this.d) : this.d.pick(["short", "x".repeat(65), "has space!", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "../../../../"]);
  }

  private roomFor(type: string): string {
    if (type.startsWith("class:")) return this.d.chance(0.85) ? `class:${this.t.sessionId}` : this.room();
    if (type.startsWith("user:")) return this.d.chance(0.85) ? `user:${this.t.selfId}` : this.room();
    return this.d.chance(0.85) ? `gym:${this.t.gymId}` : this.room();
  }

  private room(): string {
    const { gymId, sessionId, selfId, otherMemberId } = this.t;
    const d = this.d;
    return d.pick([
      `class:${sessionId}`, `class:${sessionId.toUpperCase()}`, `gym:${gymId}`, `user:${selfId}`, `user:${otherMemberId}`, `class:${d.uuid()}`,
      `gym:${d.uuid()}`, `user:${d.uuid()}`, `class:${gymId}`, `gym:${sessionId}`, `room:${gymId}`, `class: ${sessionId}`, `class:${sessionId}\n`,
      `class:${sessionId}/../${gymId}`, "gym:", "", `gym:${gymId}`.repeat(3),
    ]);
  }

  private memberId(): string | undefined {
    const { selfId, otherMemberId } = this.t;
    return this.d.pick([undefined, undefined, selfId, otherMemberId, this.d.uuid(), "abc", "x".repeat(64), selfId.toUpperCase(), "_-_"]);
  }

  private validPayload(type: string): Record<string, unknown> {
    const d = this.d;
    const sessionId = d.chance(0.9) ? this.t.sessionId : d.uuid();
    const withMember = (p: Record<string, unknown>) => {
      const memberId = this.memberId();
      return memberId === undefined ? p : { ...p, memberId };
    };
    const shape = { classTypeId: d.uuid(), locationId: d.uuid(), capacity: d.int(0, 500), durationMinutes: d.int(5, 240) };
    switch (type) {
      case "class:book":
        return withMember({ sessionId, ...(d.chance(0.5) ? { waitlist: d.chance(0.5) } : {}) });
      case "class:cancelBooking":
        return withMember({ sessionId, ...(d.chance(0.3) ? { withFee: true } : {}) });
      case "class:leaveWaitlist":
      case "class:claimOffer":
      case "class:promote":
        return withMember({ sessionId });
      case "class:checkIn":
        return withMember({ sessionId, source: d.pick(["desk", "qr", "app"]) });
      case "class:setCapacity":
        return { sessionId, capacity: d.int(0, 500) };
      case "class:cancel":
        return { sessionId, reason: d.text(d.int(1, 40)) };
      case "class:undoCheckIn":
      case "class:markNoShow":
        return { sessionId, memberId: this.memberId() ?? this.t.otherMemberId };
      case "class:close":
        return { sessionId };
      case "gym:checkIn":
        return d.chance(0.5) ? { memberId: this.memberId() ?? this.t.otherMemberId } : { code: d.pick(["S1.a.b.c", d.text(20), `S1.${this.t.selfId}.9999999999999.sig`]) };
      case "schedule:createClassType":
        return { name: d.text(d.int(1, 30)), color: "#112233" };
      case "schedule:createSession":
        return { ...shape, startsAt: 4_000_000_000_000 };
      case "schedule:createSeries":
        return { ...shape, weekdays: [1, 3], startTime: "07:00", startDate: "2090-01-01", endDate: "2090-03-01" };
      case "schedule:updateSession":
        return { sessionId, capacity: d.int(0, 500) };
      case "gym:searchMembers":
        return { q: d.pick(["a", "%", "_", "\\", "' or 1=1 --", d.text(d.int(0, 100))]) };
      case "gym:memberProfile":
        return { memberId: this.memberId() ?? this.t.otherMemberId };
      case "gym:attendanceSeries":
        return { days: d.int(1, 90) };
      case "user:setVisibility":
        return { visible: d.chance(0.5) };
      case "feed:page":
        return d.chance(0.5) ? {} : { cursor: d.pick(["MTIzLmFiYw", d.text(d.int(1, 100)), "x".repeat(101), ""]) };
      case "feed:react":
        return { eventId: d.uuid(), kind: d.pick(["kudos", "fire", "strong", "love"]) };
      case "feed:comment":
        return { eventId: d.uuid(), body: d.text(d.int(0, 600)) };
      case "feed:comments":
        return { eventId: d.uuid() };
      case "feed:report":
        return { target: d.pick(["event", "comment", "user"]), id: d.uuid(), reason: d.text(d.int(0, 600)) };
      case "feed:follow":
        return { memberId: this.memberId() ?? this.t.otherMemberId, follow: d.chance(0.5) };
      case "feed:block":
        return { memberId: this.memberId() ?? this.t.otherMemberId, block: d.chance(0.5) };
      case "feed:setDefaultVisibility":
        return { visibility: d.pick(["public", "followers", "gym", "private", "world"]) };
      case "user:logWorkout":
        return this.oversizedWorkout();
      case "user:endSession":
        return { sessionId: d.uuid() };
      case "gym:invite":
        return { email: d.pick(["a@b.co", d.text(d.int(0, 40)), "x".repeat(330) + "@x.io"]), role: d.pick(["member", "coach", "owner", "king"]) };
      case "gym:revokeInvitation":
        return { invitationId: d.uuid() };
      case "gym:endStaffSessions":
        return { memberId: this.memberId() ?? this.t.otherMemberId };
      default:
        return {};
    }
  }

  private mutate(payload: unknown): unknown {
    const d = this.d;
    if (!isRecord(payload) || d.chance(0.1)) return d.chance(0.5) ? this.junk(0) : { ...(isRecord(payload) ? payload : {}), extra: this.junk(1) };
    const out = { ...payload };
    const keys = Object.keys(out);
    switch (d.int(0, 4)) {
      case 0:
        if (keys.length) delete out[d.pick(keys)];
        return out;
      case 1:
        return put(out, d.pick(KeyNames), this.junk(1));
      case 2:
        if (keys.length) out[d.pick(keys)] = this.junk(1);
        return out;
      case 3:
        if (keys.length) out[d.pick(keys)] = this.wrongType();
        return out;
      default:
        out.memberId = this.memberId() ?? d.pick(Strings);
        return out;
    }
  }

  private wrongType(): unknown {
    return this.d.pick([() => this.d.pick(Numbers), () => this.d.chance(0.5), () => null, () => [], () => ({}), () => [this.d.pick(Strings)], () => this.d.pick(Strings)])();
  }

  private junk(depth: number): unknown {
    const d = this.d;
    switch (d.int(0, 6)) {
      case 0:
        return null;
      case 1:
        return d.chance(0.5);
      case 2:
        return d.pick(Numbers);
      case 3:
        return d.pick(Strings);
      case 4:
        return d.text(d.int(0, 60));
      case 5:
        return depth > 2 ? [] : Array.from({ length: d.int(0, 4) }, () => this.junk(depth + 1));
      default: {
        if (depth > 2) return {};
        const o: Record<string, unknown> = {};
        for (let i = d.int(0, 4); i > 0; i--) put(o, d.pick([...KeyNames, "commandId", "room", "type"]), this.junk(depth + 1));
        return o;
      }
    }
  }

  private manyKeys(n: number): Record<string, number> {
    return Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
  }

  private bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.d.int(0, 255)));
  }
}

function randomLike(d: Dice): string {
  return `fz-${d.int(0, 2 ** 30).toString(36)}-${d.int(0, 2 ** 30).toString(36)}`;
}

// ─── A raw Socket.IO client ────────────────────────────────────────────────────────────────────

/** The answer to the namespace CONNECT: connected, or refused with the server's CONNECT_ERROR. */
export type Handshake = { ok: true; client: WireClient } | { ok: false; message: string; data: unknown; client: WireClient };

/**
 * A Socket.IO client written against the wire (Engine.IO v4 over WebSocket): it answers pings and
 * records acks, and sends whatever bytes it is given — which the real client library never would.
 */
export class WireClient {
  /** Ack id → the ack's arguments. */
  readonly answers = new Map<number, unknown[]>();
  /** Events the server pushed (`room:delta`, …). */
  pushed = 0;
  closed = false;
  private readonly waiting = new Map<number, (args: unknown[] | null) => void>();
  private closeWaiters: (() => void)[] = [];
  private sentinelSeq = 1_000_000_000;

  private constructor(private readonly ws: WebSocket) {}

  /** Opens a WebSocket to the server and connects to the main namespace with `token` (none when undefined). */
  static connect(url: string, token: string | undefined, timeoutMs = 15_000): Promise<Handshake> {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    const client = new WireClient(ws);
    return new Promise<Handshake>((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error("handshake timed out"));
      }, timeoutMs);
      const settle = (h: Handshake | Error): void => {
        clearTimeout(timer);
        if (h instanceof Error) reject(h);
        else resolve(h);
      };
      ws.on("error", (e) => settle(e));
      ws.on("close", () => {
        client.closed = true;
        for (const w of client.waiting.values()) w(null);
        client.waiting.clear();
        for (const w of client.closeWaiters.splice(0)) w();
        settle(new Error("closed during handshake"));
      });
      ws.on("message", (raw: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        try {
          client.onText(raw.toString("utf8"), token, settle);
        } catch {
          // A frame this client cannot read (e.g. a CONNECT_ERROR for another namespace) changes nothing here.
        }
      });
    });
  }

  /** Engine.IO: "0" open → CONNECT with the token, "2" ping → "3" pong; Socket.IO: "40" connected, "44" refused, "43" ack, "42" event. */
  private onText(text: string, token: string | undefined, settle: (h: Handshake) => void): void {
    if (text.startsWith("0")) this.ws.send(`40${JSON.stringify(token === undefined ? {} : { token })}`);
    else if (text === "2") this.ws.send("3");
    else if (text.startsWith("40")) settle({ ok: true, client: this });
    else if (text.startsWith("44")) {
      const err = JSON.parse(text.slice(2)) as { message: string; data?: unknown };
      settle({ ok: false, message: err.message, data: err.data, client: this });
    } else if (text.startsWith("43")) this.onAck(text.slice(2));
    else if (text.startsWith("42")) this.pushed += 1;
  }

  private onAck(body: string): void {
    const digits = /^\d+/.exec(body)?.[0] ?? "";
    const id = Number(digits);
    let args: unknown[];
    try {
      args = JSON.parse(body.slice(digits.length)) as unknown[];
    } catch {
      args = [Symbol.for("unparseable ack")];
    }
    this.answers.set(id, args);
    this.waiting.get(id)?.(args);
    this.waiting.delete(id);
  }

  send(frame: FuzzFrame): void {
    if (this.closed) return;
    for (const part of frame.wire) this.ws.send(part.data, { binary: part.binary });
  }

  /** Emits `event` with an ack and waits for the answer; null when the connection closed first, "timeout" when neither happened. */
  request(event: string, arg: unknown, timeoutMs = 15_000): Promise<unknown[] | null | "timeout"> {
    const id = ++this.sentinelSeq;
    return new Promise((resolve) => {
      if (this.closed) return resolve(null);
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve("timeout");
      }, timeoutMs);
      this.waiting.set(id, (args) => {
        clearTimeout(timer);
        resolve(args);
      });
      this.ws.send(`42${id}${JSON.stringify([event, arg])}`);
    });
  }

  /** Resolves once the ack `id` arrived (true) or after `timeoutMs` / on close (false). */
  awaitAnswer(id: number, timeoutMs: number): Promise<boolean> {
    if (this.answers.has(id)) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(id, (args) => {
        clearTimeout(timer);
        resolve(args !== null);
      });
    });
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.closeWaiters.push(resolve);
      this.ws.close();
      setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2_000).unref();
    });
  }
}

/** Whether `args` is exactly one typed Ack: `{ ok: true, result }` or `{ ok: false, error: { code ∈ ErrorCodes, message, fields?, retryAfterMs? } }`. */
export function typedAckProblem(args: unknown[]): string | null {
  if (args.length !== 1) return `expected one ack argument, got ${args.length}`;
  const a = args[0];
  if (!isRecord(a)) return "ack is not an object";
  if (a.ok === true) return "result" in a && Object.keys(a).length === 2 ? null : "ok ack without exactly { ok, result }";
  if (a.ok !== false || !isRecord(a.error)) return "ack is neither { ok: true } nor { ok: false, error }";
  const e = a.error;
  if (typeof e.code !== "string" || !Object.hasOwn(ErrorCodes, e.code)) return `error code ${JSON.stringify(e.code)} is not in ErrorCodes`;
  if (typeof e.message !== "string" || e.message.length === 0) return "error without a message";
  if (/node_modules|\.ts:\d|\bat \w+ \(|select |insert |syntax for type/i.test(e.message)) return `internal detail in message: ${e.message.slice(0, 120)}`;
  if (Object.keys(e).some((k) => !["code", "message", "fields", "retryAfterMs"].includes(k))) return `unexpected error keys ${Object.keys(e).join(",")}`;
  if (e.fields !== undefined && (!isRecord(e.fields) || Object.values(e.fields).some((v) => typeof v !== "string"))) return "fields is not a string map";
  if (e.code === "RATE_LIMITED" && !(typeof e.retryAfterMs === "number" && e.retryAfterMs > 0)) return "RATE_LIMITED without retryAfterMs";
  return null;
}

// ─── The runner ────────────────────────────────────────────────────────────────────────────────

export interface Lane {
  token: string;
  targets: FuzzTargets;
}

export interface LaneReport {
  frames: number;
  wireFrames: number;
  bytes: number;
  byCategory: Partial<Record<Category, number>>;
  /** "ok" or the error code, per answer. */
  answers: Record<string, number>;
  /** For `may-close` frames: how many closed the connection and how many it survived. */
  closes: Partial<Record<Category, { closed: number; survived: number }>>;
  knownIssues: Record<string, Record<string, number>>;
  violations: string[];
}

const show = (f: FuzzFrame) =>
  f.wire
    .map((p) => (typeof p.data === "string" ? JSON.stringify(p.data.length > 160 ? `${p.data.slice(0, 160)}…(${p.data.length})` : p.data) : `<${p.data.length} bytes>`))
    .join(" + ");

export interface LaneOptions {
  /** Frames per second outside floods: below the server's rate, so ordinary frames reach validation and authorization. */
  ratePerSecond: number;
  /** A burst of this many commands in the middle of the lane (0 = none). */
  flood: number;
  /** Unanswered frames in flight before the lane waits. */
  window?: number;
  answerTimeoutMs?: number;
}

/**
 * Sends `frames` frames of one seeded lane (floods included). Pipelines frames that must be answered,
 * waits for every answer before a frame that may close the connection, then probes with a sentinel
 * whether the connection survived (reconnecting if not).
 */
export async function runLane(url: string, lane: Lane, seed: number, frames: number, o: LaneOptions): Promise<LaneReport> {
  const window = o.window ?? 256;
  const answerTimeoutMs = o.answerTimeoutMs ?? 20_000;
  const gen = new FrameGenerator(seed, lane.targets);
  const report: LaneReport = { frames: 0, wireFrames: 0, bytes: 0, byCategory: {}, answers: {}, closes: {}, knownIssues: {}, violations: [] };
  const violation = (s: string) => {
    if (report.violations.length < 50) report.violations.push(s);
  };
  const open = async () => {
    const h = await WireClient.connect(url, lane.token);
    if (!h.ok) throw new Error(`fuzz lane refused: ${h.message}`);
    return h.client;
  };
  let client = await open();
  let pending: { id: number; frame: FuzzFrame }[] = [];
  let silent: { id: number; frame: FuzzFrame }[] = [];

  const settle = async (c: WireClient) => {
    for (const p of pending) {
      if (!(await c.awaitAnswer(p.id, answerTimeoutMs))) {
        violation(c.closed ? `connection closed before answering ${p.frame.category}: ${show(p.frame)}` : `no answer within ${answerTimeoutMs} ms to ${p.frame.category}: ${show(p.frame)}`);
        continue;
      }
      const args = c.answers.get(p.id)!;
      const problem = typedAckProblem(args);
      if (problem) {
        violation(`${problem} — for ${p.frame.category}: ${show(p.frame)}`);
        continue;
      }
      const a = args[0] as Ack<unknown>;
      const outcome = a.ok ? "ok" : a.error.code;
      if (p.frame.knownIssue) {
        const seen = (report.knownIssues[p.frame.knownIssue] ??= {});
        seen[outcome] = (seen[outcome] ?? 0) + 1;
      } else {
        report.answers[outcome] = (report.answers[outcome] ?? 0) + 1;
        if (outcome === "INTERNAL") violation(`INTERNAL for ${p.frame.category}: ${show(p.frame)}`);
        else if (p.frame.mustRefuse && outcome !== "VALIDATION_FAILED" && outcome !== "RATE_LIMITED") violation(`unstorable text answered ${outcome}: ${show(p.frame)}`);
      }
    }
    for (const s of silent) if (c.answers.has(s.id)) violation(`answered a frame that asked for no answer (${s.frame.category}): ${show(s.frame)}`);
    pending = [];
    silent = [];
  };

  // The frames before a violation, for its report: a connection's state is the sum of what it was sent.
  const recent: FuzzFrame[] = [];
  const history = () => recent.slice(0, -1).map(show).join(" ; ");
  const send = async (frame: FuzzFrame) => {
    recent.push(frame);
    if (recent.length > 4) recent.shift();
    report.frames += 1;
    report.wireFrames += frame.wire.length;
    report.bytes += frame.wire.reduce((s, p) => s + Buffer.byteLength(p.data), 0);
    report.byCategory[frame.category] = (report.byCategory[frame.category] ?? 0) + 1;
    if (frame.expect === "may-close") {
      await settle(client);
      client.send(frame);
      const sentinel = { commandId: "fuzz-sentinel", room: `user:${lane.targets.selfId}`, type: "fuzz:sentinel", payload: {} };
      // A sentinel in the same read as a DISCONNECT ("41") is dropped by Socket.IO without closing; the second one closes.
      let probe = await client.request("command", sentinel, 1_000);
      if (probe === "timeout") probe = await client.request("command", sentinel, answerTimeoutMs);
      const c = (report.closes[frame.category] ??= { closed: 0, survived: 0 });
      if (probe === "timeout") {
        violation(`neither answered nor closed after ${frame.category}: ${show(frame)} (preceded by ${history()})`);
        await client.close();
        client = await open();
      } else if (probe === null) {
        c.closed += 1;
        client = await open();
      } else {
        c.survived += 1;
        const problem = typedAckProblem(probe);
        if (problem) violation(`sentinel after ${frame.category}: ${problem}`);
      }
      return;
    }
    if (client.closed) {
      violation(`the server closed the connection unexpectedly before ${frame.category}: ${show(frame)} (preceded by ${history()})`);
      await settle(client);
      client = await open();
    }
    client.send(frame);
    if (frame.ackId !== null) (frame.expect === "ack" ? pending : silent).push({ id: frame.ackId, frame });
    if (pending.length >= window) await settle(client);
  };

  const started = performance.now();
  const floodAt = o.flood > 0 ? Math.floor((frames - o.flood) / 2) : -1;
  for (let sent = 0; report.frames < frames; sent++) {
    if (report.frames === floodAt) {
      for (const frame of gen.flood(Math.min(o.flood, frames - report.frames))) await send(frame);
      continue;
    }
    const ahead = sent - ((performance.now() - started) / 1000) * o.ratePerSecond;
    if (ahead > 0) await new Promise((r) => setTimeout(r, (ahead / o.ratePerSecond) * 1000));
    await send(gen.next());
  }
  // Answers come in order, so once the last answer is in, an answer to a "silent" frame would be too; 100 ms of slack.
  await new Promise((r) => setTimeout(r, 100));
  await settle(client);
  await client.close();
  return report;
}

function merge(into: LaneReport, r: LaneReport): void {
  into.frames += r.frames;
  into.wireFrames += r.wireFrames;
  into.bytes += r.bytes;
  for (const [k, v] of Object.entries(r.byCategory)) into.byCategory[k as Category] = (into.byCategory[k as Category] ?? 0) + v;
  for (const [k, v] of Object.entries(r.answers)) into.answers[k] = (into.answers[k] ?? 0) + v;
  for (const [k, v] of Object.entries(r.closes)) {
    const c = (into.closes[k as Category] ??= { closed: 0, survived: 0 });
    c.closed += v.closed;
    c.survived += v.survived;
  }
  for (const [issue, outcomes] of Object.entries(r.knownIssues)) {
    const seen = (into.knownIssues[issue] ??= {});
    for (const [k, v] of Object.entries(outcomes)) seen[k] = (seen[k] ?? 0) + v;
  }
  into.violations.push(...r.violations);
}

// ─── Around the run: rows, memory, the bystander ───────────────────────────────────────────────

/** Row counts of everything a command could write, plus a digest of the rows commands update in place. */
export async function rowFingerprint(orm: MikroORM): Promise<Record<string, string>> {
  const counted = ["booking", "waitlist_entry", "check_in", "class_session", "fee", "attendance_event", "calendar_feed", "class_type", "recurring_schedule", "class_workout", "workout_result", "consent", "deletion_request", "legal_hold",
    "workout_log", "workout_exercise", "workout_set", "personal_best", "member_progress", "challenge", "challenge_participant", "challenge_submission",
    "feed_event", "feed_setting", "feed_follow", "feed_block", "feed_reaction", "feed_comment", "moderation_item",
    "membership_plan", "plan_assignment", "credit_ledger", "member_charge"];
  const digested = ["booking", "waitlist_entry", "class_session", "gym_membership", "app_user"];
  const sql = `select ${[
    ...counted.map((t) => `(select count(*) from ${t})::text as "${t}"`),
    ...digested.map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${t} x) as "${t} rows"`),
  ].join(", ")}`;
  const [row] = await orm.em.fork().getConnection().execute<Record<string, string>[]>(sql);
  return row!;
}

function collectGarbage(): void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed();
  v8.setFlagsFromString("--expose-gc");
  (vm.runInNewContext("gc") as () => void)();
}

/** Heap after a full collection, and RSS, in MB (this process: run the server in-process to measure it). */
export function memoryMb(): { heapUsed: number; rss: number } {
  collectGarbage();
  const m = process.memoryUsage();
  return { heapUsed: Math.round(m.heapUsed / 1_048_576), rss: Math.round(m.rss / 1_048_576) };
}

export interface BystanderReport {
  commands: number;
  failed: string[];
  /** Ack latency of the coach's commands (reported, not asserted: it depends on the machine's load). */
  p50Ms: number;
  p99Ms: number;
  slowestMs: number;
  /** Deltas received by the staff watcher and by a member watcher; `gaps` counts any seq that was not previous + 1. */
  staffDeltas: number;
  memberDeltas: number;
  gaps: number;
  /** The staff watcher's view, built from its snapshot and every delta, equals a fresh snapshot at the end. */
  replayMatches: boolean;
}

/**
 * A coach watching the attacked class toggles its capacity (and ends where it began) while a member
 * watches the public view. `stop()` checks that both streams were contiguous and that the coach's
 * replayed view equals a fresh snapshot.
 */
export async function startBystander(server: SpotterServer, sessionId: string, coachId: string, memberId: string, periodMs = 50) {
  const room = `class:${sessionId}`;
  const coach = await connectAs(server, coachId);
  const member = await connectAs(server, memberId);
  const join = async (s: TestSocket) => {
    const ack = await s.join(room);
    if (!ack.ok || !("snapshot" in ack.result)) throw new Error(`bystander could not join: ${JSON.stringify(ack)}`);
    return ack.result as Extract<JoinResult, { snapshot: unknown }>;
  };
  const staffStart = await join(coach);
  const memberStart = await join(member);
  const base = (staffStart.snapshot as { session: { capacity: number } }).session.capacity;
  const report: BystanderReport = { commands: 0, failed: [], p50Ms: 0, p99Ms: 0, slowestMs: 0, staffDeltas: 0, memberDeltas: 0, gaps: 0, replayMatches: false };
  const latencies: number[] = [];
  let running = true;
  const setCapacity = async (capacity: number) => {
    const started = performance.now();
    const ack = await coach.command(room, "class:setCapacity", { sessionId, capacity });
    report.commands += 1;
    latencies.push(Math.round(performance.now() - started));
    if (!ack.ok) report.failed.push(`${ack.error.code}: ${ack.error.message}`);
  };
  const loop = (async () => {
    for (let i = 1; running; i++) {
      await setCapacity(base + (i % 2));
      await new Promise((r) => setTimeout(r, periodMs));
    }
  })();
  const contiguous = (deltas: RoomDelta[], from: number) => {
    let seq = from;
    for (const d of deltas.filter((x) => x.room === room)) {
      if (d.seq !== seq + 1) report.gaps += 1;
      seq = d.seq;
    }
    return deltas.filter((x) => x.room === room).length;
  };
  return {
    async stop(): Promise<BystanderReport> {
      running = false;
      await loop;
      await setCapacity(base);
      latencies.sort((a, b) => a - b);
      const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0;
      Object.assign(report, { p50Ms: at(0.5), p99Ms: at(0.99), slowestMs: at(1) });
      await new Promise((r) => setTimeout(r, 200));
      report.staffDeltas = contiguous(coach.deltas, staffStart.seq);
      report.memberDeltas = contiguous(member.deltas, memberStart.seq);
      const replayed = coach.deltas.filter((d) => d.room === room).reduce((v, d) => applyPatch(v, d.ops), staffStart.snapshot);
      const fresh = await connectAs(server, coachId);
      const now = await join(fresh);
      report.replayMatches = JSON.stringify(replayed) === JSON.stringify(now.snapshot);
      for (const s of [coach, member, fresh]) s.close();
      return report;
    },
  };
}

export interface FuzzSetup {
  server: SpotterServer;
  gymId: string;
  sessionId: string;
  coachId: string;
  /** Members of the gym: the first two fuzz, the third is the target of "on behalf of" frames, the fourth watches. */
  memberIds: [string, string, string, string];
  /** A member of another gym: their frames must all be refused by authorization. */
  outsiderId: string;
  /** The server's `MAX_PAYLOAD_BYTES` and `COMMANDS_PER_SECOND`. */
  maxPayloadBytes: number;
  commandsPerSecond: number;
}

export interface FuzzOutcome {
  seed: number;
  ms: number;
  totals: LaneReport;
  health: number;
  rowsBefore: Record<string, string>;
  rowsAfter: Record<string, string>;
  /** Heap after GC and RSS before the run, then after each chunk of 5,000 frames. */
  memory: { heapUsed: number; rss: number }[];
  bystander: BystanderReport;
}

/** Frames per chunk: every chunk opens fresh lanes, floods twice, and samples memory. */
export const CHUNK = 5_000;

/**
 * The whole fuzz run, in chunks of {@link CHUNK} frames over four lanes: two sockets of one member
 * (the first floods in every chunk, past the per-socket and the per-user limit), a second member, and
 * another gym's member. Ordinary frames are paced below the rate limit so they reach validation and
 * authorization; each chunk's lanes are seeded from `seed` (see {@link laneSeed}).
 */
export async function fuzzServer(s: FuzzSetup, seed: number, frames: number, onChunk?: (done: number, memory: { heapUsed: number; rss: number }) => void): Promise<FuzzOutcome> {
  const [m1, m2, other, watcher] = s.memberIds;
  const targets = (selfId: string, member: boolean): FuzzTargets => ({
    gymId: s.gymId, sessionId: s.sessionId, selfId, member, otherMemberId: other, maxPayloadBytes: s.maxPayloadBytes,
  });
  const token = (userId: string) => signToken(s.server.jwtSecret!, userId, 3_600);
  const lanes: Lane[] = [
    { token: await token(m1), targets: targets(m1, true) },
    { token: await token(m1), targets: targets(m1, true) },
    { token: await token(m2), targets: targets(m2, true) },
    { token: await token(s.outsiderId), targets: targets(s.outsiderId, false) },
  ];
  // A socket's burst is 2× its rate and a user's 4×: a flood of 4× the rate on one of a user's two sockets passes both,
  // unless the server took longer than 2 s to read it (then it was not faster than the limit).
  const flood = s.commandsPerSecond * 4;
  const rate = s.commandsPerSecond * 0.6;
  const rowsBefore = await rowFingerprint(s.server.db.orm);
  const memory = [memoryMb()];
  const bystander = await startBystander(s.server, s.sessionId, s.coachId, watcher);
  const started = performance.now();
  const totals: LaneReport = { frames: 0, wireFrames: 0, bytes: 0, byCategory: {}, answers: {}, closes: {}, knownIssues: {}, violations: [] };
  for (let done = 0, round = 0; done < frames; round++) {
    const n = Math.min(CHUNK, frames - done);
    // The flooding lane gets its flood on top of an equal share, so all lanes take about as long.
    const floods = n >= flood + 1_000 ? flood : 0;
    const share = Math.floor((n - floods) / lanes.length);
    const per = lanes.map((_, i) => share + (i === 0 ? n - share * lanes.length : 0));
    const reports = await Promise.all(
      lanes.map((lane, i) => runLane(s.server.url, lane, laneSeed(seed, round, i), per[i]!, { ratePerSecond: rate, flood: i === 0 ? floods : 0 })),
    );
    for (const r of reports) merge(totals, r);
    done += n;
    memory.push(memoryMb());
    onChunk?.(done, memory[memory.length - 1]!);
  }
  const ms = Math.round(performance.now() - started);
  const bystanderReport = await bystander.stop();
  const health = (await fetch(`${s.server.url}/health`)).status;
  return { seed, ms, totals, health, rowsBefore, rowsAfter: await rowFingerprint(s.server.db.orm), memory, bystander: bystanderReport };
}

/** A gym to attack (a class with two bookings, six members, a coach) and a member of another gym. */
export async function prepareFuzz(server: SpotterServer, limits: { maxPayloadBytes: number; commandsPerSecond: number }): Promise<FuzzSetup> {
  const orm = server.db.orm;
  const gym = await aGym(orm, { members: 6, capacity: 12 });
  const outsiderId = (await aGym(orm, { members: 1 })).members[0]!.id;
  const em = orm.em.fork();
  for (const m of gym.members.slice(4, 6)) {
    const at = Date.now();
    em.create(BookingEntity, { id: randomUUID(), gymId: gym.gymId, sessionId: gym.sessionId, memberId: m.id, status: "booked", createdAt: at, updatedAt: at, creditUsed: false, promotedFromWaitlist: false });
  }
  await em.flush();
  const ids = gym.members.map((m) => m.id);
  return { server, gymId: gym.gymId, sessionId: gym.sessionId, coachId: gym.coachId, memberIds: [ids[0]!, ids[1]!, ids[2]!, ids[3]!], outsiderId, ...limits };
}

/** Everything a run must hold, as readable failures (empty when it held). Shared by the test and `npm run fuzz`. */
export function outcomeProblems(o: FuzzOutcome, maxHeapGrowthMb = 48): string[] {
  const problems = [...o.totals.violations];
  const b = o.bystander;
  if (o.health !== 200) problems.push(`/health answered ${o.health}`);
  if (JSON.stringify(o.rowsAfter) !== JSON.stringify(o.rowsBefore)) problems.push(`rows changed: ${JSON.stringify(o.rowsBefore)} → ${JSON.stringify(o.rowsAfter)}`);
  if (b.failed.length > 0) problems.push(`bystander commands failed: ${b.failed.join("; ")}`);
  if (b.commands < 5 || b.staffDeltas < 5 || b.memberDeltas < 5) problems.push(`bystander too quiet to judge: ${JSON.stringify(b)}`);
  if (b.gaps > 0) problems.push(`bystander saw ${b.gaps} gaps in its deltas`);
  if (!b.replayMatches) problems.push("bystander's replayed view differs from a fresh snapshot");
  const growth = o.memory.at(-1)!.heapUsed - o.memory[0]!.heapUsed;
  if (growth >= maxHeapGrowthMb) problems.push(`heap grew by ${growth} MB (bound ${maxHeapGrowthMb} MB)`);
  // The run must have reached every layer: schema and authorization refusals, the rate limit, real answers, closed connections.
  for (const code of ["ok", "VALIDATION_FAILED", "NOT_FOUND", "FORBIDDEN", "RATE_LIMITED"]) if (!o.totals.answers[code]) problems.push(`no ${code} answer: the run did not reach that layer`);
  if (!Object.values(o.totals.closes).some((c) => c.closed > 0)) problems.push("no frame closed a connection");
  return problems;
}

/** Each chunk of each lane has its own seed, derived from the run's seed: any chunk can be replayed alone. */
export function laneSeed(seed: number, round: number, lane: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 31) + round * 1_000_003 + lane * 7_919) >>> 0;
}

/** A readable summary of an outcome (the script prints it; the test prints it on failure). */
export function describeOutcome(o: FuzzOutcome): string {
  const t = o.totals;
  const lines = [
    `seed ${o.seed}: ${t.frames} frames (${t.wireFrames} WebSocket messages, ${(t.bytes / 1_048_576).toFixed(1)} MB) in ${(o.ms / 1000).toFixed(1)} s`,
    `answers: ${Object.entries(t.answers).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ")}`,
    `connection closed by the server / survived, per category: ${Object.entries(t.closes).map(([k, v]) => `${k} ${v.closed}/${v.survived}`).join(", ")}`,
    `known issues reached: ${Object.keys(t.knownIssues).length === 0 ? "none" : Object.entries(t.knownIssues).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join("; ")}`,
    `bystander: ${o.bystander.commands} commands (${o.bystander.failed.length} failed; ack p50 ${o.bystander.p50Ms} ms, p99 ${o.bystander.p99Ms} ms, slowest ${o.bystander.slowestMs} ms), deltas staff ${o.bystander.staffDeltas} / member ${o.bystander.memberDeltas}, gaps ${o.bystander.gaps}, replay ${o.bystander.replayMatches ? "matches" : "DIFFERS"}`,
    `memory (heap after GC / RSS, MB, per ${CHUNK} frames): ${o.memory.map((m) => `${m.heapUsed}/${m.rss}`).join(" → ")}`,
    `/health ${o.health}; rows ${JSON.stringify(o.rowsBefore) === JSON.stringify(o.rowsAfter) ? "unchanged" : "CHANGED"}`,
    `violations: ${t.violations.length === 0 ? "none" : `\n  ${t.violations.join("\n  ")}`}`,
  ];
  return lines.join("\n");
}

