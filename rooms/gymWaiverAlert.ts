/** The gym room's alert to staff when the desk meets an unsigned waiver (docs/domain.md "Notices": `waiver_unsigned`). */
import type { DeskVerdict } from "../domain/checkin/deskDecision.js";
import type { CheckIn } from "../domain/model.js";
import { localDate } from "../domain/schedule/timeZone.js";
import type { GymRoomModel } from "../domain/views/gymView.js";
import type { GymChange } from "./gymPorts.js";

/** The class a verdict decided without the waiver names (the one the member came for), if any. */
export function classCameFor(v: DeskVerdict | null): { sessionId: string; className: string } | null {
  return v && "sessionId" in v && v.sessionId && v.className ? { sessionId: v.sessionId, className: v.className } : null;
}

/**
 * The alert a desk check-in refused (or overridden) for an unsigned waiver raises, naming the class they came for
 * (whose coach hears it too); none for any other check-in.
 */
export function waiverAlerts(
  state: GymRoomModel,
  checkIn: CheckIn,
  name: string,
  cameFor: { sessionId: string; className: string } | null,
): GymChange[] {
  if (checkIn.reason !== "WAIVER_NOT_SIGNED" || !checkIn.memberId) return [];
  const came = cameFor ? `came to the desk for ${cameFor.className}` : "came to the desk";
  const outcome = checkIn.result === "accepted" ? "was let in on an override" : "was turned away";
  return [
    {
      type: "waiverAlert",
      alert: {
        memberId: checkIn.memberId,
        day: localDate(checkIn.at, state.gym.timeZone),
        at: checkIn.at,
        sessionId: cameFor?.sessionId ?? null,
        byUserId: checkIn.byUserId,
        text: `${name} ${came} without a signed waiver and ${outcome} — ask them to sign it in the app.`,
      },
    },
  ];
}
