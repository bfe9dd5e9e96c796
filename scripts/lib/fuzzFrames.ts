/**
 * The protocol fuzzer shared by `test/server/realtime/fuzz.test.ts` (short form, CI) and `npm run fuzz` (long form),
 * one file per job under `scripts/lib/fuzz/`:
 *
 * 1. a seeded generator of hostile frames — the same seed gives the same frames on every machine (`dice.ts`,
 *    `frames.ts` with the oracle of which frames would write rows, `hostileValues.ts`, `payloads.ts`, `frameGenerator.ts`);
 * 2. a raw WebSocket client that speaks Engine.IO v4 / Socket.IO v5 by hand, so a frame can be anything (`wireClient.ts`);
 * 3. a runner that drives several such clients against a live server while a staff bystander commands
 *    and watches the attacked class, and reports every broken expectation (`lane.ts`, `run.ts`).
 *
 * Only timing-dependent answers (which frames a flood gets `RATE_LIMITED`) differ between runs of one seed.
 */
export {
  Categories,
  KnownIssues,
  type Category,
  type Expectation,
  type FuzzFrame,
  type FuzzTargets,
  type KnownIssue,
} from "./fuzz/frames.js";
export { FrameGenerator } from "./fuzz/frameGenerator.js";
export { typedAckProblem, WireClient, type Handshake } from "./fuzz/wireClient.js";
export { runLane, type Lane, type LaneOptions, type LaneReport } from "./fuzz/lane.js";
export {
  CHUNK,
  describeOutcome,
  fuzzServer,
  laneSeed,
  outcomeProblems,
  prepareFuzz,
  type FuzzOutcome,
  type FuzzSetup,
} from "./fuzz/run.js";
export { memoryMb, rowFingerprint } from "./fuzz/measure.js";
export { startBystander, type BystanderReport } from "./fuzz/bystander.js";
