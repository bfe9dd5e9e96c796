/** The gym room's alert to staff when the desk meets an unsigned waiver (docs/domain.md "Notices": `waiver_unsigned`). */
import type { CheckIn } from "../domain/model.js";
import { localDate } from "../domain/schedule/timeZone.js";
import type { GymRoomModel } from "../domain/views/gymView.js";
import type { GymChange } from "./gymPorts.js";

/** The alert a desk check-in refused (or overridden) for an unsigned waiver raises; none for any other check-in. */
export function waiverAlerts(state: GymRoomModel, checkIn: CheckIn, name: string, className: string | null): GymChange[] {
  if (checkIn.reason !== "WAIVER_NOT_SIGNED" || !checkIn.memberId) return [];
  const came = className ? `came to the desk for ${className}` : "came to the desk";
  const outcome = checkIn.result === "accepted" ? "was let in on an override" : "was turned away";
  return [
    {
      type: "waiverAlert",
      alert: {
        memberId: checkIn.memberId,
        day: localDate(checkIn.at, state.gym.timeZone),
        at: checkIn.at,
        sessionId: checkIn.sessionId,
        byUserId: checkIn.byUserId,
        text: `${name} ${came} without a signed waiver and ${outcome} — ask them to sign it in the app.`,
      },
    },
  ];
}
