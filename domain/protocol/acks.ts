/**
 * The one way any request's outcome becomes an ack: a refusal is a {@link DomainError} (a stable code and words for people);
 * every handler — room, use case, transport guard — answers through these functions.
 */
import { DefaultMessages, DomainError, type ErrorCode } from "../errors.js";
import type { Ack, ErrorBody } from "./envelope.js";

/**
 * A refusal ack: the code and, unless given, the code's default words.
 *
 * @example
 * return refuse("FORBIDDEN", "Only owners can do that.");
 */
export function refuse(code: ErrorCode, message?: string, extra: Partial<Omit<ErrorBody, "code" | "message">> = {}): Ack<never> {
  return { ok: false, error: { code, message: message ?? DefaultMessages[code], ...extra } };
}

/** A schema's issues as a VALIDATION_FAILED ack naming each failing field (`exercises.1.sets.0.reps`; the whole payload is "payload"). */
export function invalidPayload(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Ack<never> {
  return refuse("VALIDATION_FAILED", undefined, {
    fields: Object.fromEntries(issues.map((i) => [i.path.map(String).join(".") || "payload", i.message])),
  });
}

/** A handler's outcome as an ack: a {@link DomainError} refuses with its code and words, `null` is NOT_FOUND, anything else is the result. */
export function answer<T>(result: T | DomainError | null): Ack<T> {
  if (result instanceof DomainError) return { ok: false, error: result.toAck() };
  return result === null ? refuse("NOT_FOUND") : { ok: true, result };
}
