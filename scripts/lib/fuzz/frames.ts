/**
 * What a fuzz frame is — its category, the WebSocket messages it sends, what the server must answer — the targets a
 * lane aims at, and the oracle that tells which frames would write rows (the fuzzer never sends those as they are).
 */
import { isCommandType, parseCommand } from "../../../domain/protocol/commands.js";
import { CommandEnvelopeSchema } from "../../../domain/protocol/envelope.js";
import { FeedCommandSchemas, type FeedCommandType } from "../../../domain/protocol/feed.js";
import { QuerySchemas, type QueryType } from "../../../domain/protocol/queries.js";
import { SetupSchemas } from "../../../domain/protocol/setup.js";

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
const FeedWrites = new Set([
  "feed:react",
  "feed:comment",
  "feed:report",
  "feed:follow",
  "feed:block",
  "gym:resolveModerationItem",
  "feed:setDefaultVisibility",
]);
const OwnRowQueries = new Set([
  "user:setVisibility",
  "user:icalLink",
  "user:revokeIcal",
  "user:consent",
  "user:requestDeletion",
  "user:logWorkout",
  "user:signOutEverywhere",
  "user:endSession",
  "push:subscribe",
  "push:unsubscribe",
  "inbox:setPreference",
  "inbox:setQuietHours",
]);
/** Valid staff queries that write rows in any gym room the lane may reach (the handler decides who may). */
const StaffWrites = new Set([
  "gym:setMembership",
  "gym:invite",
  "gym:revokeInvitation",
  "gym:endStaffSessions",
  "gym:savePlan",
  "gym:assignPlan",
  "gym:sellPack",
  "gym:adjustCredits",
  "gym:recordPayment",
  "gym:waiveCharge",
  "gym:refundCharge",
  "gym:addMember",
  "gym:updateMember",
  "gym:freezeMember",
  "gym:unfreezeMember",
  "gym:tagMember",
  "gym:reactivateMember",
  "gym:setPolicy",
  "gym:publishWaiver",
  "gym:signWaiver",
  "gym:walkIn",
  "gym:rosterWalkIn",
  "gym:remindWaiver",
  "gym:deactivateStaff",
  "gym:approveDeletion",
  "gym:setLegalHold",
  "gym:setSelfCheckIn",
  "gym:createChallenge",
  "gym:joinChallenge",
  "gym:leaveChallenge",
  "gym:reviewSubmission",
  "gym:saveLead",
  "gym:moveLead",
  "gym:touchLead",
  "gym:convertLead",
  "gym:setTrialForm",
  "gym:saveTourSlot",
  "gym:saveSegment",
  "gym:deleteSegment",
  "gym:segmentAction",
  "gym:segmentMessage",
  "gym:segmentFreeze",
]);
/** Valid gym-room commands that write rows (check-ins, the schedule), in any gym room the lane may reach. */
const StaffCommandWrites = new Set([
  "gym:checkIn",
  "schedule:createClassType",
  "schedule:createSession",
  "schedule:createSeries",
  "schedule:updateSession",
]);

/**
 * The oracle: whether the server would accept `arg` as a command that writes rows (the fuzzer must never
 * send one — "no row changes" is asserted), and whether it reaches a known defect. It mirrors the
 * transport: envelope → query or command schema → room access → the class room's self-service rules.
 */
export function judge(t: FuzzTargets, arg: unknown): { writes: boolean; knownIssue?: KnownIssue } {
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
  if (parsed.ok && StaffCommandWrites.has(type) && room.startsWith("gym:")) return { writes: true };
  if (!parsed.ok || !t.member || room !== `class:${t.sessionId}`) return { writes: false };
  const memberId = (parsed.value as { memberId?: string }).memberId;
  if (SelfServe.has(type) && (memberId === undefined || memberId === t.selfId)) return { writes: true };
  return { writes: false };
}
