/**
 * Reusable zod field schemas for protocol payloads: bounded ids, text, instants, dates.
 */
import { z } from "zod";
import { DeviceCheckInSources, PromotionModes } from "../model.js";
import { storableText } from "./text.js";

/** An entity id: a UUID (every id Spotter stores is one; anything else could never match and must not reach the database). */
export const Id = z
  .string()
  .max(64)
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "Must be an id")
  .transform((v) => v.toLowerCase());

/** Epoch milliseconds between 2000 and 2100. */
export const InstantField = z.int().min(946_684_800_000).max(4_102_444_800_000);

/** Local date "YYYY-MM-DD". */
export const LocalDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "Use YYYY-MM-DD");

/** Local wall-clock time "HH:MM" (24 h). */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM (24 h)");

/** Short single-line text, trimmed, 1..max characters; storable (no NUL, no half emoji), bidi overrides stripped. */
export const Name = (max: number) => storableText({ min: 1, max, required: "Required" });

/** Optional longer text, trimmed, up to `max` characters; storable, bidi overrides stripped. */
export const Text = (max: number) => storableText({ max });

/** The largest minutes setting (60 days): no booking window opens earlier than this before its class. */
export const MAX_SETTING_MINUTES = 60 * 24 * 60;

/** Minutes setting, 0 .. 60 days. */
export const Minutes = z.int().min(0).max(MAX_SETTING_MINUTES);

/** Capacity of a class. */
export const Capacity = z.int().min(0).max(500);

/** Duration of a class in minutes. */
export const DurationMinutes = z
  .int()
  .min(5)
  .max(24 * 60);

/** A CSS hex colour "#RRGGBB". */
export const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Use #RRGGBB");

/** Where a check-in happened. */
export const CheckInSourceField = z.enum(DeviceCheckInSources);
/** automatic or offer. */
export const PromotionModeField = z.enum(PromotionModes);
