import { CheckInDenialMessages } from "../../../domain/checkin/denials.js";
import { errorMessage } from "../../../domain/client/index.js";
import type { CheckInDenial } from "../../../domain/model.js";

export { errorMessage };

/** Big-type words for a refused check-in ("Membership frozen — ask the front desk."). */
export function denialMessage(reason: CheckInDenial | string | null | undefined, fallback = "Check-in refused."): string {
  return reason && reason in CheckInDenialMessages ? CheckInDenialMessages[reason as CheckInDenial] : fallback;
}
