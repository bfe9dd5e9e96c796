/**
 * Setting a gym up and keeping its catalogue (issue 18 "Set-up"): the first-run wizard's gym details, locations and
 * their rooms, class types, and edits of a recurring series with their effect on bookings shown first. Sent with the
 * `command` event on room `gym:<gymId>`; every write is audited and idempotent by `commandId`.
 */
import { z } from "zod";
import { Capacity, Color, DurationMinutes, Id, LocalDate, LocalTime, Name, Text } from "./fields.js";

/** An IANA time zone this runtime knows ("Europe/Berlin"). */
export const TimeZoneField = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "Unknown time zone (use a name like Europe/Berlin)");

/** ISO 4217 currency code ("EUR"). */
export const CurrencyField = z.string().regex(/^[A-Z]{3}$/, "Use a 3-letter currency code like EUR");

/** A BCP 47 locale ("en-GB"). */
export const LocaleField = z
  .string()
  .max(35)
  .refine((l) => {
    try {
      return Intl.getCanonicalLocales(l).length === 1;
    } catch {
      return false;
    }
  }, "Unknown locale (use a tag like en-GB)");

const Span = z
  .strictObject({ opens: LocalTime, closes: LocalTime })
  .refine((s) => s.closes > s.opens, { path: ["closes"], message: "Must be after the opening time" });
const Day = z.array(Span).max(4);

/** Opening hours per weekday ("0" = Sunday … "6" = Saturday); an empty list = closed that day. */
export const OpeningHoursField = z.strictObject({ "0": Day, "1": Day, "2": Day, "3": Day, "4": Day, "5": Day, "6": Day });

/** A location as staff describe it. */
const LocationFields = { name: Name(120), address: Text(300).optional() };

/**
 * Edit one class or this and the following classes of its series, or end a series (docs/domain.md "Series edits").
 * `gym:previewSeriesChange` answers what it would do to existing bookings; `gym:changeSeries` does it.
 * @example { action: "edit", sessionId, scope: "following", startTime: "18:30" }
 * @example { action: "end", scheduleId, lastDate: "2027-01-31" }
 */
export const SeriesChangeSchema = z.discriminatedUnion("action", [
  z
    .strictObject({
      action: z.literal("edit"),
      sessionId: Id,
      scope: z.enum(["this", "following"]),
      startTime: LocalTime.optional(),
      durationMinutes: DurationMinutes.optional(),
      capacity: Capacity.optional(),
      coachId: Id.nullable().optional(),
    })
    .refine((c) => c.startTime !== undefined || c.durationMinutes !== undefined || c.capacity !== undefined || c.coachId !== undefined, {
      message: "Nothing to change",
    }),
  z.strictObject({ action: z.literal("end"), scheduleId: Id, lastDate: LocalDate }),
]);

export const SetupSchemas = {
  /**
   * Owners and admins: the gym's set-up → `{ name, timeZone, currency, locale, openingHours, needsSetup, locations:
   * [{ locationId, name, address, archived, rooms: [{ roomId, name, archived }] }], classTypes: [{ classTypeId, name,
   * description, color, archived }], series: [{ scheduleId, classTypeId, locationId, weekdays, startTime, … }] }`.
   */
  "gym:setup": z.strictObject({}),
  /**
   * Owners: the wizard's first step (and later edits) — name, time zone, currency, locale, opening hours; with
   * `firstLocation`, the gym's first location when it has none → `{ locationId | null }`. Live rooms take the new
   * details at once.
   */
  "gym:saveSetup": z.strictObject({
    name: Name(200),
    timeZone: TimeZoneField,
    currency: CurrencyField,
    locale: LocaleField,
    openingHours: OpeningHoursField,
    firstLocation: z.strictObject(LocationFields).optional(),
  }),
  /** Owners: the wizard is done (it no longer opens) → `{ needsSetup: false }`. Refused (SETUP_INCOMPLETE) without a location and a class type. */
  "gym:finishSetup": z.strictObject({}),
  /** Owners and admins: add a location (no `locationId`), rename it, or archive / restore it → `{ locationId }`. Never deleted. */
  "gym:saveLocation": z.strictObject({ locationId: Id.optional(), ...LocationFields, archived: z.boolean().optional() }),
  /** Owners and admins: add a room to a location, rename it, archive / restore it → `{ roomId }`. */
  "gym:saveRoom": z.strictObject({ roomId: Id.optional(), locationId: Id, name: Name(120), archived: z.boolean().optional() }),
  /** Owners and admins: edit or archive / restore a class type → `{ classTypeId }`. Classes already scheduled keep it. */
  "gym:saveClassType": z
    .strictObject({
      classTypeId: Id,
      name: Name(80).optional(),
      description: Text(2000).optional(),
      color: Color.optional(),
      archived: z.boolean().optional(),
    })
    .refine((c) => Object.keys(c).length > 1, { message: "Nothing to change" }),
  /** Owners and admins: what a series change would do → `{ sessions: [{ sessionId, startsAt, newStartsAt, effect, booked, waitlisted }], totals }`. Changes nothing. */
  "gym:previewSeriesChange": SeriesChangeSchema,
  /** Owners and admins: do it → the same preview as done, `{ sessions, totals, applied, failed }`. Booked members are told by each class. */
  "gym:changeSeries": SeriesChangeSchema,
} as const;
