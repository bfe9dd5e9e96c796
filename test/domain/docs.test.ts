import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CheckInDenialMessages } from "../../domain/checkin/denials.js";
import { DefaultMessages } from "../../domain/errors.js";

const doc = readFileSync(join(import.meta.dirname, "../../docs/domain.md"), "utf8");

describe("docs/domain.md", () => {
  it("lists every error code with its current message", () => {
    for (const [code, message] of Object.entries(DefaultMessages)) expect(doc).toContain(`| \`${code}\` | ${message} |`);
  });

  it("lists every check-in denial with its current message", () => {
    for (const [reason, message] of Object.entries(CheckInDenialMessages)) expect(doc).toContain(`| \`${reason}\` | ${message} |`);
  });
});
