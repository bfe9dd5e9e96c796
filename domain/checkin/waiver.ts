/**
 * The waiver check at the door: a small predicate the desk decision calls (docs/domain.md "Policies and waivers").
 */
import { waiverMissing } from "../admin/waivers.js";
import type { MemberStanding } from "../class/state.js";
import type { CheckInDenial, Instant } from "../model.js";

/** WAIVER_NOT_SIGNED when the gym enforces its waiver at check-in and the member hasn't signed the version in force. */
export function waiverDenial(standing: Pick<MemberStanding, "waiver">, now: Instant): CheckInDenial | null {
  return waiverMissing(standing.waiver, now, "check_in") ? "WAIVER_NOT_SIGNED" : null;
}
