/**
 * One-off costs a process pays the first time it uses a library, paid before the node opens its gate instead of
 * inside its first answers (scenario 8 of the bench, a cold room's first join, is mostly the process's first join):
 * ICU's locale and time-zone data (the first `Intl` formatter cost ~12 ms of CPU inside the first class room's
 * load), zod's compiled parser of each frame and payload schema (~5 ms for the join frame on its first parse), and
 * a database connection with the catalog of a cold room's tables loaded (connect and catalog reads inside the join).
 */
import type { z } from "zod";
import { formatMoney, primeWhenFormat } from "../domain/format.js";
import { AuthRenewSchema, CommandEnvelopeSchema, JoinRequestSchema, LeaveRequestSchema } from "../domain/protocol/envelope.js";
import { CommandSchemas } from "../domain/protocol/commands.js";
import { RequestSchemas } from "../domain/protocol/requests.js";
import { WARM_CONNECTIONS, type Database } from "./db/orm.js";
import { warmSnapshotReads } from "./persistence/classSnapshot.js";
import { warmCommits } from "./persistence/commitWarmUp.js";

/**
 * Builds the first `Intl` formatters, compiles the parsers of every frame and message payload (once per process) and
 * opens the pool's kept connections, each having planned a cold room's read (see `warmSnapshotReads`) and a class
 * room's commit statements (see `warmCommits`: they write nothing).
 */
export async function warmUp(db: Database, onError: (err: unknown) => void = () => undefined): Promise<void> {
  primeWhenFormat("UTC");
  formatMoney(0, "EUR");
  const schemas: z.ZodType[] = [
    JoinRequestSchema,
    LeaveRequestSchema,
    CommandEnvelopeSchema,
    AuthRenewSchema,
    ...Object.values<z.ZodType>(CommandSchemas),
    ...Object.values<z.ZodType>(RequestSchemas),
  ];
  // Any object input compiles an object schema's parser; the answer does not matter.
  for (const schema of schemas) schema.safeParse({});
  if (db.target.kind === "postgres") await warmSnapshotReads(db.orm, WARM_CONNECTIONS);
  // A class room's first commits: built in memory, then run on each kept connection with a version that never holds.
  // A failure only leaves the first commits cold (reported, not fatal: the node serves as it did without it).
  await warmCommits(db.orm, db.target.kind === "postgres" ? WARM_CONNECTIONS : 0).catch(onError);
}
