import { describe, expect, it } from "vitest";
import { cardText, excerptText } from "../../../web/shared/feedText.js";

describe("feed text", () => {
  it("says what each kind of card means, with what its payload carries", () => {
    expect(
      cardText({ kind: "workout_logged", payload: { title: "Leg day", exercises: 2, volumeKg: 1250, distanceMeters: 0 } }, "Ana"),
    ).toEqual({
      headline: "Ana logged “Leg day”",
      detail: "2 exercises · 1,250 kg lifted",
    });
    expect(cardText({ kind: "pr", payload: { count: 2, movements: ["back squat", "row"] } }, "You")).toEqual({
      headline: "You set 2 new PRs",
      detail: "back squat, row",
    });
    expect(cardText({ kind: "checkin_milestone", payload: { count: 100 } }, "Bo").headline).toBe("Bo checked in for the 100th time");
    expect(cardText({ kind: "checkin_milestone", payload: { count: 1 } }, "Bo").headline).toBe("Bo checked in for the 1st time");
    expect(cardText({ kind: "streak_milestone", payload: { days: 7 } }, "Cy").headline).toBe("Cy is on a 7-day streak");
    expect(cardText({ kind: "challenge_completed", payload: { title: "100 km rowed" } }, "Di")).toEqual({
      headline: "Di completed a challenge",
      detail: "100 km rowed",
    });
    expect(cardText({ kind: "something_new", payload: {} }, "Ed").headline).toBe("Ed was active");
  });

  it("turns a reported post's stored excerpt into words, and leaves other text alone", () => {
    expect(excerptText('pr: {"count":1,"movements":["back squat"],"workoutId":"x"}', "Fay")).toBe("Fay set a new PR — back squat");
    expect(excerptText("workout_logged", "Sam")).toBe("Sam logged a workout");
    expect(excerptText("pr: {broken", "Fay")).toBe("pr: {broken");
    expect(excerptText("Rude words here", "Fay")).toBe("Rude words here");
  });
});
