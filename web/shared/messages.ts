import { CheckInDenialMessages } from "../../domain/checkin/denials.js";
import { errorMessage } from "../../domain/client/index.js";
import type { CheckInDenial } from "../../domain/model.js";

export { errorMessage };

/** The error in words followed by what is wrong with each field ("Some details are missing … Choose one of: rx"). */
export function errorWithFields(error: { code?: unknown; message?: unknown; fields?: Record<string, string> | undefined }): string {
  return [errorMessage(error), ...Object.values(error.fields ?? {})].join(" ");
}

/** Big-type words for a refused check-in ("Membership frozen — ask the front desk."). */
export function denialMessage(reason: CheckInDenial | string | null | undefined, fallback = "Check-in refused."): string {
  return reason && reason in CheckInDenialMessages ? CheckInDenialMessages[reason as CheckInDenial] : fallback;
}
