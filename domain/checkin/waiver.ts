/**
 * The waiver check at the door: a small predicate the desk decision calls (docs/domain.md "Policies and waivers").
 */
import { waiverMissing, type WaiverStanding } from "../admin/waivers.js";
import type { CheckInDenial, Instant } from "../model.js";
import { DeskMemberRules, type DeskMemberRule } from "./deskDecision.js";

/** WAIVER_NOT_SIGNED when the gym enforces its waiver at check-in and the member hasn't signed the version in force. */
export function waiverDenial(standing: { waiver?: WaiverStanding }, now: Instant): CheckInDenial | null {
  return waiverMissing(standing.waiver, now, "check_in") ? "WAIVER_NOT_SIGNED" : null;
}

/**
 * The desk's member rules for a member with this waiver standing: the membership, then the waiver. The gym room
 * decides with them online and an offline desk from its snapshot, so both refuse the same unsigned member.
 */
export function deskRulesWithWaiver(waiver: WaiverStanding | undefined): readonly DeskMemberRule[] {
  return [...DeskMemberRules, (_m, at) => waiverDenial(waiver ? { waiver } : {}, at)];
}
