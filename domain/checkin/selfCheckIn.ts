/**
 * Who records a check-in's source, and when members may check themselves in (issue 14 item 8).
 * The source is decided by role and channel, never taken from the client: a member's own phone is "app",
 * whatever it claims. Member self check-in is a gym setting, off by default, and needs proof of presence.
 */
import { DomainError } from "../errors.js";
import type { CheckInSource } from "../model.js";

/**
 * The source to record. Staff run the gym's devices (desk, scanner, kiosk, door) and may say which one;
 * anyone else checks in from their own device: "app".
 *
 * @example decideCheckInSource({ staff: false }, "door", "desk") // "app"
 */
export function decideCheckInSource(
  by: { staff: boolean },
  requested: CheckInSource | undefined,
  fallback: Exclude<CheckInSource, "app">,
): CheckInSource {
  if (!by.staff) return "app";
  return requested !== undefined && requested !== "app" ? requested : fallback;
}

/** Whether the presence code a member sent matches the one the desk shows now. */
export type Presence = "valid" | "invalid" | "missing";

/**
 * A member checking themself in: refused unless the gym turned self check-in on and the member proved presence
 * with the desk's rotating code. Staff, and staff checking someone in, are not asked.
 */
export function selfCheckInRefusal(input: { staff: boolean; self: boolean; enabled: boolean; presence: Presence }): DomainError | null {
  if (input.staff || !input.self) return null;
  if (!input.enabled) return new DomainError("SELF_CHECK_IN_DISABLED");
  if (input.presence !== "valid")
    return new DomainError(
      "PRESENCE_REQUIRED",
      input.presence === "missing" ? undefined : "That code isn't the one on the desk screen now — type the code shown there.",
    );
  return null;
}
