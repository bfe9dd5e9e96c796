import { describe, expect, it } from "vitest";
import type { Person } from "../../../domain/views/people.js";
import { publicLeaderboard, staffLeaderboard } from "../../../domain/views/leaderboardView.js";
import { logResult, setWorkout } from "../../../domain/class/workout.js";
import { aClassState, ctxFor, MINUTE, ok, staffCtx, STARTS_AT, withBooked } from "../../support/domainBuilders.js";

const DURING = STARTS_AT + 30 * MINUTE;
const person = (name: string, visible: boolean): Person => ({
  name,
  email: `${name}@x`,
  phone: null,
  visible,
  membershipStatus: "active",
  notes: "",
});

describe("leaderboard projections", () => {
  // Regression: the staff lines carried no visibility, so the gym-facing TV board (fed by the staff view) could only show full names of everyone.
  it("tells staff screens whether each member lets others see their first name, as the public board does", () => {
    let s = withBooked(aClassState({ members: ["ann", "bob"] }), ["ann", "bob"]);
    s = ok(setWorkout(s, { title: "Cindy", scoreType: "rounds_reps" }, staffCtx(DURING))).state;
    s = ok(logResult(s, { score: { type: "rounds_reps", rounds: 20, reps: 3 }, division: "rx" }, ctxFor("ann", DURING))).state;
    s = ok(logResult(s, { score: { type: "rounds_reps", rounds: 18, reps: 0 }, division: "rx" }, ctxFor("bob", DURING + 1))).state;
    const people = { ann: person("Ann Hidden", false), bob: person("Bob Shown", true) };
    const staff = Object.values(staffLeaderboard(s.board, people).results).sort((a, b) => a.rank - b.rank);
    expect(staff.map((l) => [l.name, l.visible])).toEqual([
      ["Ann Hidden", false],
      ["Bob Shown", true],
    ]);
    expect(publicLeaderboard(s.board, people).rows.map((r) => r.name)).toEqual([null, "Bob"]);
  });
});
