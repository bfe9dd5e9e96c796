import { streakLabel } from "../../domain/attendance/streak.js";
import { staffDenialMessage } from "../../domain/checkin/denials.js";
import { denialMessage } from "../../web/shared/messages.js";
import type { DeskOutcome } from "./desk-result.js";
import type { DeskCheckInResult } from "./types.js";

/** A check-in answer as the desk shows it in large type (`label`: whom staff scanned or picked). */
export function describeDeskResult(r: DeskCheckInResult, label: string): DeskOutcome {
  const name = r.memberName ?? (label === "code" ? "Unknown code" : label);
  const detail = r.className ? `Class: ${r.className}` : (r.message ?? "");
  if (r.status === "checked_in")
    return {
      kind: "accepted",
      name,
      detail: r.override ? `Override: ${r.override}` : r.streak ? `${detail} · ${streakLabel(r.streak)}` : detail,
    };
  if (r.status === "already_checked_in") return { kind: "already", name, detail };
  // The desk reads what to do (staff wording), not the member's "ask the front desk".
  const staff = staffDenialMessage(r.reason, r.frozenUntil, r.className);
  return { kind: "denied", name, reason: staff ?? r.message ?? denialMessage(r.reason) };
}
