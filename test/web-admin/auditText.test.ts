/** Audit rows read as sentences a manager understands (issue 19 item 9), not `class:cancelBooking` and raw ids. */
import { describe, expect, it } from "vitest";
import { auditSentence } from "../../web-admin/src/auditText.js";
import type { AuditEntry } from "../../web-admin/src/types.js";

const TZ = "Europe/Berlin";
const at = Date.UTC(2026, 11, 6, 6, 0); // 07:00 in Berlin

function row(over: Partial<AuditEntry>): AuditEntry {
  return {
    seq: 1,
    at,
    actorId: "c0ffee00-0000-4000-8000-000000000001",
    actorName: "Carla Diaz",
    role: "coach",
    action: "class:cancelBooking",
    entityType: "booking",
    entityId: "b",
    summary: { before: { memberId: "m", status: "booked" }, after: { memberId: "m", status: "cancelled" } },
    commandId: "c",
    hash: "abcdef0123456789",
    subjectName: "Nia Chen",
    className: "Spin",
    startsAt: at,
    ...over,
  };
}

describe("auditSentence", () => {
  it("says who cancelled whose booking of which class, with the fee", () => {
    expect(auditSentence(row({}), TZ)).toBe("Coach Carla Diaz cancelled Nia Chen's 07:00 Spin booking");
    expect(
      auditSentence(
        row({
          action: "fee.waived",
          entityType: "fee",
          actorId: null,
          actorName: null,
          role: "system",
          summary: { before: null, after: { memberId: "m", waived: true } },
        }),
        TZ,
      ),
    ).toBe("Spotter (automatic) waived Nia Chen's fee for the 07:00 Spin");
    expect(
      auditSentence(
        row({ summary: { before: { memberId: "m", status: "booked" }, after: { memberId: "m", status: "late_cancelled" } } }),
        TZ,
      ),
    ).toBe("Coach Carla Diaz cancelled Nia Chen's 07:00 Spin booking — late cancel");
  });

  it("writes a member's own action in the first person's terms, and capacity changes with both numbers", () => {
    expect(
      auditSentence(
        row({
          action: "class:book",
          actorName: "Nia Chen",
          role: "member",
          summary: { before: null, after: { memberId: "m", status: "booked" } },
        }),
        TZ,
      ),
    ).toBe("Nia Chen booked the 07:00 Spin");
    expect(
      auditSentence(
        row({
          action: "class:setCapacity",
          entityType: "class_session",
          subjectName: null,
          summary: { before: { capacity: 12 }, after: { capacity: 10 } },
        }),
        TZ,
      ),
    ).toBe("Coach Carla Diaz changed the 07:00 Spin capacity from 12 to 10");
  });

  it("says an override's refusal and reason, and who published or signed which waiver version", () => {
    const desk = {
      actorName: "Dee Desk",
      role: "front_desk",
      action: "gym:checkIn",
      entityType: "check_in",
      className: null,
      startsAt: null,
    };
    expect(
      auditSentence(
        row({
          ...desk,
          summary: { before: null, after: { memberId: "m", result: "accepted", reason: "WAIVER_NOT_SIGNED", override: "Signed on paper" } },
        }),
        TZ,
      ),
    ).toBe('Front desk Dee Desk checked Nia Chen in despite "waiver not signed" — reason: Signed on paper');
    expect(
      auditSentence(
        row({
          action: "gym:publishWaiver",
          role: "owner",
          actorName: "Olga Owner",
          subjectName: null,
          summary: { before: null, after: { version: "2027-01", effectiveOn: "2027-01-01" } },
        }),
        TZ,
      ),
    ).toBe("Owner Olga Owner published waiver version 2027-01, applying from 2027-01-01");
    expect(
      auditSentence(
        row({ action: "gym:signWaiver", role: "member", actorName: "Nia Chen", summary: { before: null, after: { version: "2027-01" } } }),
        TZ,
      ),
    ).toBe("Nia Chen signed waiver version 2027-01");
  });

  it("says Spotter ended a freeze by itself, naming the member and the freeze's last day", () => {
    expect(
      auditSentence(
        row({
          action: "membership.unfrozen",
          entityType: "member",
          actorId: null,
          actorName: null,
          role: "system",
          commandId: null,
          className: null,
          summary: {
            before: { status: "frozen", frozenUntil: "2027-01-12" },
            after: { memberId: "m", status: "active", reason: "freeze_ended" },
          },
        }),
        TZ,
      ),
    ).toBe("Spotter (automatic) unfroze Nia Chen's membership — the freeze ended on 12 Jan");
  });

  it("says which period's dues Spotter opened, or why it billed none", () => {
    const dues = (action: string, reason?: string) =>
      auditSentence(
        row({
          action,
          entityType: "member",
          actorId: null,
          actorName: null,
          role: "system",
          commandId: null,
          className: null,
          summary: { before: null, after: { memberId: "m", startsOn: "2027-02-28", endsOn: "2027-03-30", reason } },
        }),
        TZ,
      );
    expect(dues("dues.opened")).toBe("Spotter (automatic) opened Nia Chen's dues for 28 Feb – 30 Mar");
    expect(dues("dues.skipped", "frozen")).toBe(
      "Spotter (automatic) billed no dues to Nia Chen for 28 Feb – 30 Mar — membership frozen on its first day",
    );
    expect(dues("dues.skipped", "cancelled")).toBe(
      "Spotter (automatic) billed no dues to Nia Chen for 28 Feb – 30 Mar — membership cancelled",
    );
  });

  it("never shows a raw command name for known actions", () => {
    for (const action of [
      "class:book",
      "class:cancelBooking",
      "class:checkIn",
      "gym:checkIn",
      "class:markNoShow",
      "class:setCapacity",
      "class:cancel",
      "gym:memberProfile",
      "export:members.csv",
    ])
      expect(auditSentence(row({ action }), TZ)).not.toMatch(/[a-z]+:[a-zA-Z]/);
  });
});
