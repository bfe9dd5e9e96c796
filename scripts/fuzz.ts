/**
 * `npm run fuzz` — the long form of the protocol fuzzer (CI runs the short one: test/server/realtime/fuzz.test.ts).
 *
 *   npm run fuzz -- [--seed <n>] [--frames <n>] [--transport auto|uws|node]
 *
 * Defaults: 100,000 frames, a random seed (printed first, so any run can be replayed), the uWS transport.
 * Runs an in-process server on a fresh PostgreSQL database at TEST_DATABASE_URL (dropped afterwards),
 * or on embedded PGlite when it is unset. Exits 1 when anything the test asserts did not hold.
 */
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { describeOutcome, fuzzServer, outcomeProblems, prepareFuzz } from "./lib/fuzzFrames.js";
import { createTestDatabase, startTestServer, type TestDatabase } from "./lib/services.js";

const { values } = parseArgs({
  options: { seed: { type: "string" }, frames: { type: "string" }, transport: { type: "string" } },
});
const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
const frames = Number(values.frames ?? 100_000);
if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(frames) || frames < 1) {
  console.error("usage: npm run fuzz -- [--seed <non-negative integer>] [--frames <positive integer>] [--transport auto|uws|node]");
  process.exit(2);
}
const limits = { maxPayloadBytes: 16_384, commandsPerSecond: 300 };
console.log(`fuzz seed ${seed} — replay with: npm run fuzz -- --seed ${seed} --frames ${frames}`);

let db: TestDatabase | undefined;
if (process.env.TEST_DATABASE_URL) db = await createTestDatabase(process.env.TEST_DATABASE_URL);
const t = await startTestServer({
  ...(db ? { DATABASE_URL: db.url, SPOTTER_MODE: "embedded", JWT_SECRET: "f".repeat(40) } : {}),
  COMMANDS_PER_SECOND: String(limits.commandsPerSecond),
  MAX_PAYLOAD_BYTES: String(limits.maxPayloadBytes),
  TRANSPORT: values.transport ?? "auto",
});
let failed = true;
try {
  console.log(`server on ${t.server.transport}, database ${db ? "PostgreSQL" : "embedded PGlite"}`);
  const setup = await prepareFuzz(t.server, limits);
  const outcome = await fuzzServer(setup, seed, frames, (done, m) =>
    console.log(`  ${done.toLocaleString("en")} frames — heap ${m.heapUsed} MB, RSS ${m.rss} MB`),
  );
  console.log(describeOutcome(outcome));
  // A long run may keep a little more (pools, JIT code), never per-frame state.
  const problems = outcomeProblems(outcome, 64);
  failed = problems.length > 0;
  console.log(failed ? `FAILED (seed ${seed}):\n  ${problems.join("\n  ")}` : `passed (seed ${seed})`);
} finally {
  await t.cleanup();
  await db?.drop();
}
process.exit(failed ? 1 : 0);
