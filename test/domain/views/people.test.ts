/** Two people on one board are never shown the same (issue 19 item 11: two "Nia Chen", three "Dev Fischer"). */
import { describe, expect, it } from "vitest";
import { distinctFirstNames } from "../../../domain/views/people.js";

describe("distinctFirstNames", () => {
  it("shows a first name alone when it is unique, with the last initial when it repeats", () => {
    expect(distinctFirstNames(["Nia Chen", "Nia Berg", "Dev Fischer", "Omar"])).toEqual(["Nia C.", "Nia B.", "Dev", "Omar"]);
  });
});
