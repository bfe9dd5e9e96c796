import { selfCheckInRefusal } from "../../domain/checkin/selfCheckIn.js";
import { isStaffRole } from "../../domain/roles.js";
import type { Ack } from "../../domain/protocol/envelope.js";
import type { SelfCheckInSettings } from "../../app/checkin/ports.js";
import type { Caller } from "../../rooms/ports.js";
import type { PresenceCodes } from "../checkin/presenceCodes.js";

/**
 * A check a validated, authorized command passes before its room sees it: null to go on, or the answer. Answered at once
 * (not a promise) when it reads nothing: every command but a member's own check-in.
 */
export type CommandGate = (caller: Caller, type: string, payload: unknown) => Promise<Ack<never> | null> | Ack<never> | null;

/**
 * Member self check-in (issue 14 item 8): a member checking themself in to a class needs the gym's setting on and
 * the desk screen's current presence code. Read per attempt, so turning the setting off takes effect at once.
 * Staff, and staff checking someone in, pass untouched; the decision itself is `selfCheckInRefusal` (domain).
 */
export function selfCheckInGate(d: {
  settings: Pick<SelfCheckInSettings, "enabled">;
  presence: PresenceCodes;
  now: () => number;
}): CommandGate {
  const selfCheckIn = async (gymId: string, presenceCode: string | undefined): Promise<Ack<never> | null> => {
    const enabled = await d.settings.enabled(gymId);
    const refusal = selfCheckInRefusal({ staff: false, self: true, enabled, presence: d.presence.check(gymId, presenceCode, d.now()) });
    return refusal ? { ok: false, error: refusal.toAck() } : null;
  };
  return (caller, type, payload) => {
    if (type !== "class:checkIn" || !caller.membership) return null;
    const { memberId, presenceCode } = payload as { memberId?: string; presenceCode?: string };
    const staff = isStaffRole(caller.membership.role);
    const self = (memberId ?? caller.userId) === caller.userId;
    if (staff || !self) return null;
    return selfCheckIn(caller.membership.gymId, presenceCode);
  };
}
