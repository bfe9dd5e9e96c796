import { describe, expect, expectTypeOf, it } from "vitest";
import { CommandSchemas, parseCommand } from "../../../domain/protocol/commands.js";
import type { CommandPayload, CommandType } from "../../../domain/protocol/commands.js";

const S = "3f0c2a1e-9b7d-4c55-8a11-2f6e4d9b0c7a";

describe("parseCommand", () => {
  it("accepts a valid booking with the waitlist flag", () => {
    expect(parseCommand("class:book", { sessionId: S, waitlist: true })).toEqual({ ok: true, value: { sessionId: S, waitlist: true } });
  });

  it("rejects unknown keys, naming them", () => {
    const r = parseCommand("class:book", { sessionId: S, admin: true });
    expect(r).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { admin: "Unknown field" } } });
  });

  it("reports each invalid field by its dotted path", () => {
    const r = parseCommand("schedule:createSession", {
      classTypeId: S,
      locationId: S,
      startsAt: 1.5,
      capacity: 9999,
      durationMinutes: 60,
      settings: { waitlistLimit: -1 },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.error.fields).sort()).toEqual(["capacity", "settings.waitlistLimit", "startsAt"]);
  });

  it("requires a reason to cancel a class", () => {
    expect(parseCommand("class:cancel", { sessionId: S, reason: "   " })).toMatchObject({
      ok: false,
      error: { fields: { reason: "Required" } },
    });
  });

  it("bounds string lengths", () => {
    expect(parseCommand("class:cancel", { sessionId: S, reason: "x".repeat(501) }).ok).toBe(false);
    expect(parseCommand("class:book", { sessionId: "x".repeat(65) }).ok).toBe(false);
  });

  it("accepts open-gym check-in by member id or by code, not both", () => {
    expect(parseCommand("gym:checkIn", { memberId: S }).ok).toBe(true);
    expect(parseCommand("gym:checkIn", { code: "QR-123", source: "door" }).ok).toBe(true);
    expect(parseCommand("gym:checkIn", { memberId: S, code: "QR-123" }).ok).toBe(false);
  });

  it("validates a weekly series", () => {
    const base = {
      classTypeId: S,
      locationId: S,
      capacity: 12,
      durationMinutes: 60,
      weekdays: [1, 3],
      startTime: "07:00",
      startDate: "2025-03-01",
      endDate: "2025-06-30",
    };
    expect(parseCommand("schedule:createSeries", base).ok).toBe(true);
    expect(parseCommand("schedule:createSeries", { ...base, startTime: "7am" })).toMatchObject({
      ok: false,
      error: { fields: { startTime: expect.any(String) } },
    });
    expect(parseCommand("schedule:createSeries", { ...base, endDate: "2025-02-01" })).toMatchObject({
      ok: false,
      error: { fields: { endDate: expect.any(String) } },
    });
    expect(parseCommand("schedule:createSeries", { ...base, weekdays: [1, 1] }).ok).toBe(false);
  });

  it("refuses an update that changes nothing", () => {
    expect(parseCommand("schedule:updateSession", { sessionId: S }).ok).toBe(false);
    expect(parseCommand("schedule:updateSession", { sessionId: S, capacity: 8 }).ok).toBe(true);
  });

  it("answers VALIDATION_FAILED for an unknown command type instead of throwing", () => {
    expect(parseCommand("class:explode", {})).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED", fields: { type: "Unknown command" } },
    });
    expect(parseCommand("__proto__", {}).ok).toBe(false);
    expect(parseCommand("toString", {}).ok).toBe(false);
  });

  it("never throws, whatever the payload", () => {
    const weird: unknown[] = [
      null,
      undefined,
      42,
      "x",
      [],
      { __proto__: { sessionId: S } },
      Object.create(null),
      new Proxy(
        {},
        {
          get() {
            throw new Error("boom");
          },
          ownKeys() {
            throw new Error("boom");
          },
        },
      ),
    ];
    for (const type of Object.keys(CommandSchemas)) for (const p of weird) expect(() => parseCommand(type, p)).not.toThrow();
  });

  it("derives payload types from the schemas", () => {
    expectTypeOf<CommandPayload<"class:book">>().toEqualTypeOf<{
      sessionId: string;
      memberId?: string | undefined;
      waitlist?: boolean | undefined;
    }>();
    // Optional since the server decides what it records (issue 14 item 8); staff may still name the gym device.
    expectTypeOf<CommandPayload<"class:checkIn">["source"]>().toEqualTypeOf<"desk" | "qr" | "kiosk" | "app" | "door" | undefined>();
    expectTypeOf<"class:book">().toExtend<CommandType>();
  });
});
