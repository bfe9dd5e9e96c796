import { describe, expect, it } from "vitest";
import { applyClassEvents } from "../../../domain/class/applyClassEvent.js";
import type { ClassState } from "../../../domain/class/state.js";
import { WorkoutLogSchema } from "../../../domain/protocol/workouts.js";
import { parseCommand, parsePayload } from "../../../domain/protocol/commands.js";
import { logResult, setWorkout } from "../../../domain/class/workout.js";
import { rankedResults } from "../../../domain/workouts/classBoard.js";
import { aClassState, ctxFor, MINUTE, ok, refused, staffCtx, STARTS_AT, withBooked } from "../../support/domainBuilders.js";

const DURING = STARTS_AT + 30 * MINUTE;

function withWod(state: ClassState, scoreType: "for_time" | "reps" = "for_time", divisions?: ("rx" | "scaled")[]): ClassState {
  return ok(setWorkout(state, { title: "Fran", scoreType, ...(divisions ? { divisions } : {}) }, staffCtx(DURING))).state;
}

const board = () => withWod(withBooked(aClassState({ members: ["ann", "bob", "cy", "dee"] }), ["ann", "bob", "cy"]));

describe("class workout and results", () => {
  it("ranks logged results by time, Rx before scaled, and replays to the same state", () => {
    let s = board();
    s = ok(logResult(s, { score: { type: "for_time", ms: 300_000 }, division: "scaled" }, ctxFor("ann", DURING))).state;
    s = ok(logResult(s, { score: { type: "for_time", ms: 420_000 }, division: "rx" }, ctxFor("bob", DURING + 1))).state;
    const cy = ok(logResult(s, { score: { type: "for_time", ms: 400_000 }, division: "rx" }, ctxFor("cy", DURING + 2)));
    expect(cy.result.rank).toBe(1);
    expect(rankedResults(cy.state.board).map((r) => r.memberId)).toEqual(["cy", "bob", "ann"]);
    expect(applyClassEvents(s, cy.events)).toEqual(cy.state);
  });

  it("replaces a member's earlier result instead of adding a second one", () => {
    let s = board();
    const first = ok(logResult(s, { score: { type: "for_time", ms: 500_000 }, division: "rx" }, ctxFor("ann", DURING)));
    s = ok(logResult(first.state, { score: { type: "for_time", ms: 450_000 }, division: "rx" }, ctxFor("ann", DURING + 5))).state;
    expect(s.board.results).toHaveLength(1);
    expect(s.board.results[0]).toMatchObject({ id: first.result.resultId, score: { ms: 450_000 }, submittedAt: DURING + 5 });
  });

  it("lets staff log for any member of the gym, but a member only for themself while booked", () => {
    const s = board();
    expect(ok(logResult(s, { memberId: "dee", score: { type: "for_time", ms: 1 }, division: "rx" }, staffCtx(DURING))).result.rank).toBe(1);
    expect(refused(logResult(s, { memberId: "bob", score: { type: "for_time", ms: 1 }, division: "rx" }, ctxFor("ann", DURING))).code).toBe(
      "FORBIDDEN",
    );
    expect(refused(logResult(s, { score: { type: "for_time", ms: 1 }, division: "rx" }, ctxFor("dee", DURING))).code).toBe("NOT_BOOKED");
  });

  it("refuses a result before the workout is set, before the class starts, of another score type or division", () => {
    const bare = withBooked(aClassState({ members: ["ann"] }), ["ann"]);
    expect(refused(logResult(bare, { score: { type: "for_time", ms: 1 }, division: "rx" }, ctxFor("ann", DURING))).code).toBe("NOT_FOUND");
    const s = withWod(bare, "for_time", ["rx"]);
    expect(refused(logResult(s, { score: { type: "for_time", ms: 1 }, division: "rx" }, ctxFor("ann", STARTS_AT - 1))).code).toBe(
      "CLASS_NOT_STARTED",
    );
    expect(refused(logResult(s, { score: { type: "reps", reps: 1 }, division: "rx" }, ctxFor("ann", DURING))).fields).toHaveProperty(
      "score.type",
    );
    expect(refused(logResult(s, { score: { type: "for_time", ms: 1 }, division: "scaled" }, ctxFor("ann", DURING))).fields).toHaveProperty(
      "division",
    );
  });

  it("keeps the description when a change omits it, and replaces it when one is given", () => {
    const set = ok(
      setWorkout(
        board(),
        { title: "Fran", description: " 21-15-9\nThrusters 43/30 kg, pull-ups ", scoreType: "for_time" },
        staffCtx(DURING),
      ),
    ).state;
    expect(set.board.workout?.description).toBe("21-15-9\nThrusters 43/30 kg, pull-ups");
    const renamed = ok(setWorkout(set, { title: "Fran (heavy)", scoreType: "for_time" }, staffCtx(DURING))).state;
    expect(renamed.board.workout?.description).toBe("21-15-9\nThrusters 43/30 kg, pull-ups");
    expect(
      ok(setWorkout(renamed, { title: "Fran", description: "", scoreType: "for_time" }, staffCtx(DURING))).state.board.workout?.description,
    ).toBe("");
  });

  it("keeps the score type fixed and every used division once results exist; members may not set the workout", () => {
    const s = ok(logResult(board(), { score: { type: "for_time", ms: 1 }, division: "scaled" }, ctxFor("ann", DURING))).state;
    expect(refused(setWorkout(s, { title: "Fran", scoreType: "reps" }, staffCtx(DURING))).fields).toHaveProperty("scoreType");
    expect(refused(setWorkout(s, { title: "Fran", scoreType: "for_time", divisions: ["rx"] }, staffCtx(DURING))).fields).toHaveProperty(
      "divisions",
    );
    const renamed = ok(setWorkout(s, { title: "Fran (modified)", scoreType: "for_time" }, staffCtx(DURING)));
    expect(renamed.state.board.workout).toMatchObject({ id: s.board.workout!.id, title: "Fran (modified)" });
    expect(refused(setWorkout(s, { title: "x", scoreType: "reps" }, ctxFor("ann", DURING))).code).toBe("FORBIDDEN");
  });
});

describe("workout payload validation", () => {
  it("rejects a whole workout log when any set is invalid, naming the field paths", () => {
    const parsed = parsePayload(WorkoutLogSchema, {
      exercises: [
        { movement: "Back squat", sets: [{ reps: 5, grams: 100_000 }] },
        { movement: "Row", sets: [{ meters: 2000, ms: 430_000 }, { grams: 50_000 }, { reps: -1 }] },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(parsed.error.fields).sort()).toEqual(["exercises.1.sets.1", "exercises.1.sets.1.reps", "exercises.1.sets.2.reps"]);
  });

  it("accepts a valid log and a result whose score matches the schema", () => {
    expect(parsePayload(WorkoutLogSchema, { exercises: [{ movement: "Pull-up", sets: [{ reps: 12 }] }] }).ok).toBe(true);
    const id = "00000000-0000-4000-8000-000000000001";
    expect(parseCommand("class:logResult", { sessionId: id, score: { type: "rounds_reps", rounds: 7, reps: 12 }, division: "rx" }).ok).toBe(
      true,
    );
    const bad = parseCommand("class:logResult", { sessionId: id, score: { type: "reps", reps: 1.5, extra: 1 }, division: "elite" });
    expect(bad.ok ? {} : bad.error.fields).toMatchObject({ "score.extra": "Unknown field", division: expect.any(String) });
  });
});
