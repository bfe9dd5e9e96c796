/**
 * One zod schema per command payload. Server and clients derive their types from these.
 * Objects are strict (unknown keys are rejected), strings and numbers bounded.
 */
import { z } from "zod";
import { CheckInDenials } from "../model.js";
import type { AckError } from "../errors.js";
import {
  Capacity,
  CheckInSourceField,
  Color,
  DurationMinutes,
  Id,
  InstantField,
  LocalDate,
  LocalTime,
  Minutes,
  Name,
  PromotionModeField,
  Text,
} from "./fields.js";
import { InboxCommandSchemas } from "./inbox.js";
import { storableText } from "./text.js";
import { DivisionField, DivisionsField, ScoreSchema, ScoreTypeField } from "./workouts.js";

const session = { sessionId: Id };
const onBehalf = { ...session, memberId: Id.optional() };
/** A desk override: why staff check someone in despite a refusal. */
const Override = z.strictObject({ reason: storableText({ min: 1, max: 300, required: "Say why you override it" }) });

/** Session settings a gym may override per session (defaults come from the gym policy). */

/**
 * A check-in the desk decided while offline and sends on reconnect: when the desk made it (its clock), when it
 * last heard the server, and what it showed (provisional ✔ or ✘ with the reason). The server decides again as of
 * the device time clamped to [last sync, receipt] (docs/domain.md "When the desk is offline").
 */
export const OfflineDeskField = z.strictObject({
  deviceAt: InstantField,
  lastSyncAt: InstantField,
  admitted: z.boolean(),
  reason: z.enum(CheckInDenials).nullable(),
});

export const SessionSettings = z.strictObject({
  promotionMode: PromotionModeField.optional(),
  bookingOpensMinutes: Minutes.optional(),
  bookingClosesMinutes: Minutes.optional(),
  lateCancelMinutes: Minutes.optional(),
  autoPromoteCutoffMinutes: Minutes.optional(),
  checkInOpensMinutes: Minutes.optional(),
  checkInClosesMinutes: Minutes.optional(),
  waitlistLimit: z.int().min(0).max(500).optional(),
  offerClaimMinutes: Minutes.optional(),
});

const sessionShape = {
  classTypeId: Id,
  locationId: Id,
  /** A room of that location, not archived (null or absent: none named). */
  roomId: Id.nullable().optional(),
  coachId: Id.nullable().optional(),
  capacity: Capacity,
  durationMinutes: DurationMinutes,
  settings: SessionSettings.optional(),
};

/**
 * Command payload schemas keyed by command type (`area:verb`).
 *
 * @example
 * const parsed = parseCommand("class:book", { sessionId: "s1", waitlist: true });
 */
export const CommandSchemas = {
  /** Book a spot; `waitlist: true` joins the waitlist when full. Staff may pass `memberId`. */
  "class:book": z.strictObject({ ...onBehalf, waitlist: z.boolean().optional() }),
  /** Cancel a booking. Staff may pass `memberId` and `withFee`. */
  "class:cancelBooking": z.strictObject({ ...onBehalf, withFee: z.boolean().optional(), acceptFee: z.boolean().optional() }),
  "class:leaveWaitlist": z.strictObject(onBehalf),
  "class:claimOffer": z.strictObject(onBehalf),
  /** Staff: promote a waitlisted member (or the first in line). */
  "class:promote": z.strictObject(onBehalf),
  "class:setCapacity": z.strictObject({ ...session, capacity: Capacity }),
  /** Staff: cancel the class; the reason is shown to members. */
  "class:cancel": z.strictObject({ ...session, reason: Name(500) }),
  /**
   * Check in to the class. The recorded source is decided by the server (a member's own device is "app"); staff may
   * name the gym device. A member checking themself in needs the gym's self check-in setting and `presenceCode`,
   * the 6 digits the desk screen shows (`gym:presenceCode`).
   */
  "class:checkIn": z.strictObject({
    ...onBehalf,
    source: CheckInSourceField.optional(),
    presenceCode: z
      .string()
      .regex(/^\d{6}$/, "Type the 6 digits shown on the desk screen")
      .optional(),
    /** Owners, admins, front desk: check a booked member in despite a refusal staff may override, with a reason (the roster shows it). */
    override: Override.optional(),
  }),
  "class:undoCheckIn": z.strictObject({ ...session, memberId: Id }),
  "class:markNoShow": z.strictObject({ ...session, memberId: Id }),
  /**
   * Staff: undo a member's no-show with a reason → `{ status: "excused", bookingId, feeWaivedCents, creditReturned }`:
   * the booking becomes cancelled, a used credit comes back, the fee is waived (then owners and admins only) and the
   * member is told. @example { sessionId, memberId, reason: "Called in sick before class" }
   */
  "class:undoNoShow": z.strictObject({ ...session, memberId: Id, reason: Override.shape.reason }),
  /** Staff or timer: close the class after it ended (remaining bookings become no-shows). */
  "class:close": z.strictObject(session),
  /** Coach/owner/admin: set or change the session's workout of the day (divisions default to Rx and scaled; an omitted description stays). */
  "class:setWorkout": z.strictObject({
    ...session,
    title: Name(200),
    description: Text(2000).optional(),
    scoreType: ScoreTypeField,
    divisions: DivisionsField.optional(),
  }),
  /** Log (or replace) a result for the session's workout. Staff may pass `memberId`. */
  "class:logResult": z.strictObject({ ...onBehalf, score: ScoreSchema, division: DivisionField }),
  /**
   * Open-gym / desk check-in by member id or by scanned code. `override` (owners, admins, front desk): check them in
   * despite a refusal staff may override (waiver not signed, no booking, outside the window, payment overdue), with a
   * reason — recorded as an accepted open-gym check-in carrying the reason, audited, shown as an override.
   * @example { memberId, override: { reason: "Signed the paper waiver, app is down" } }
   */
  "gym:checkIn": z.union([
    z.strictObject({
      memberId: Id,
      source: CheckInSourceField.optional(),
      openGym: z.boolean().optional(),
      offline: OfflineDeskField.optional(),
      override: Override.optional(),
    }),
    z.strictObject({
      code: storableText({ min: 1, max: 200 }),
      source: CheckInSourceField.optional(),
      openGym: z.boolean().optional(),
      offline: OfflineDeskField.optional(),
      override: Override.optional(),
    }),
  ]),
  "schedule:createClassType": z.strictObject({
    name: Name(80),
    description: Text(2000).optional(),
    color: Color.optional(),
    promotionMode: PromotionModeField.nullable().optional(),
  }),
  "schedule:createSession": z.strictObject({ ...sessionShape, startsAt: InstantField }),
  "schedule:createSeries": z
    .strictObject({
      ...sessionShape,
      weekdays: z
        .array(z.int().min(0).max(6))
        .min(1)
        .max(7)
        .refine((d) => new Set(d).size === d.length, "Weekdays must be unique"),
      startTime: LocalTime,
      startDate: LocalDate,
      endDate: LocalDate,
      exceptions: z.array(LocalDate).max(366).optional(),
    })
    .refine((s) => s.endDate >= s.startDate, { path: ["endDate"], message: "Must be on or after the start date" })
    .refine((s) => s.endDate <= addYear(s.startDate), { path: ["endDate"], message: "A series can span at most one year" }),
  "schedule:updateSession": z
    .strictObject({
      ...session,
      coachId: Id.nullable().optional(),
      startsAt: InstantField.optional(),
      durationMinutes: DurationMinutes.optional(),
      capacity: Capacity.optional(),
      settings: SessionSettings.optional(),
    })
    .refine((s) => Object.keys(s).length > 1, { message: "Nothing to change" }),
  ...InboxCommandSchemas,
} as const;

function addYear(date: string): string {
  return `${String(Number(date.slice(0, 4)) + 1).padStart(4, "0")}${date.slice(4)}`;
}

/** Every command type. */
export type CommandType = keyof typeof CommandSchemas;
/** The validated payload of one command type. */
export type CommandPayload<T extends CommandType> = z.infer<(typeof CommandSchemas)[T]>;
/**
 * A class command as its domain function takes it: the schema's payload, with the session implied by the class room.
 *
 * @example
 * bookSpot(state, {}, ctx); // the room's own session, the caller themself
 */
export type ClassCommandPayload<T extends CommandType> = Omit<CommandPayload<T>, "sessionId"> & { sessionId?: string };
/** A validated command: type + payload, discriminated on `type`. */
export type Command = { [T in CommandType]: { type: T; payload: CommandPayload<T> } }[CommandType];

/** Result of {@link parseCommand}. Never thrown. */
export type ParseResult<V> =
  { ok: true; value: V } | { ok: false; error: AckError & { code: "VALIDATION_FAILED"; fields: Record<string, string> } };

/** Whether `type` names a known command. */
export function isCommandType(type: unknown): type is CommandType {
  return typeof type === "string" && Object.prototype.hasOwnProperty.call(CommandSchemas, type);
}

function failure(message: string, fields: Record<string, string>): ParseResult<never> {
  return { ok: false, error: { code: "VALIDATION_FAILED", message, fields } };
}

/**
 * Validates a payload for a command type. Unknown types and any invalid payload give
 * VALIDATION_FAILED with per-field messages keyed by dotted path ("settings.waitlistLimit");
 * unknown keys are reported under their own name. Never throws.
 */
export function parseCommand<T extends CommandType>(type: T, payload: unknown): ParseResult<CommandPayload<T>>;
export function parseCommand(type: string, payload: unknown): ParseResult<CommandPayload<CommandType>>;
export function parseCommand(type: string, payload: unknown): ParseResult<CommandPayload<CommandType>> {
  if (!isCommandType(type)) return failure(`Unknown command "${String(type).slice(0, 64)}".`, { type: "Unknown command" });
  return parsePayload(CommandSchemas[type] as z.ZodType<CommandPayload<CommandType>>, payload);
}

/** Validates a payload against any schema, with the field paths and messages of {@link parseCommand}. Never throws. */
export function parsePayload<V>(schema: z.ZodType<V>, payload: unknown): ParseResult<V> {
  try {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return { ok: true, value: parsed.data };
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const base = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) fields[base === "" ? key : `${base}.${key}`] = "Unknown field";
      } else {
        fields[base === "" ? "payload" : base] ??= issue.message;
      }
    }
    return failure("Some details are missing or wrong — check the highlighted fields.", fields);
  } catch {
    return failure("The request could not be read.", { payload: "Unreadable" });
  }
}
