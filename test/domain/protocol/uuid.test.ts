import { describe, expect, it } from "vitest";
import { isUuid, UuidSchema } from "../../../domain/protocol/envelope.js";

describe("isUuid", () => {
  it("accepts exactly what UuidSchema accepts", () => {
    const samples: unknown[] = [
      "67d54188-cd1d-47b8-9a22-35a327c2a083",
      "67D54188-CD1D-47B8-9A22-35A327C2A083",
      "00000000-0000-0000-0000-000000000000",
      "67d54188-cd1d-47b8-9a22-35a327c2a08",
      "67d54188cd1d47b89a2235a327c2a083",
      " 67d54188-cd1d-47b8-9a22-35a327c2a083",
      "67d54188-cd1d-47b8-9a22-35a327c2a083\n",
      "auth0|12345",
      "",
      42,
      null,
      undefined,
      { id: "67d54188-cd1d-47b8-9a22-35a327c2a083" },
    ];
    for (const s of samples) expect(isUuid(s), String(s)).toBe(UuidSchema.safeParse(s).success);
  });
});
