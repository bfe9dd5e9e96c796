/**
 * `npm run audit:verify [-- --gym <id>]` walks each gym's audit hash chains in DATABASE_URL (or the embedded
 * database in DATA_DIR) — every room's chain and the gym-level chain that anchors them — and reports the first
 * broken link with exit code 1, or `ok: N rows in M gyms (…)` with 0.
 */
import { parseArgs } from "node:util";
import { verifyAudit } from "../audit/verifyAudit.js";
import { embeddedTarget, openDatabase } from "../db/orm.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const { values } = parseArgs({ options: { gym: { type: "string" } } });
if (values.gym !== undefined && !UUID.test(values.gym)) {
  console.error("usage: npm run audit:verify [-- --gym <gym uuid>]");
  process.exit(2);
}
const url = process.env.DATABASE_URL;
let code = 0;
try {
  const db = await openDatabase(url ? { kind: "postgres", url } : embeddedTarget(process.env.DATA_DIR ?? "./data"), 1);
  try {
    const { rows, gyms, chains, anchors, unanchored, broken } = await verifyAudit(db.orm.em.fork(), values.gym);
    if (broken) {
      console.log(
        `broken: gym ${broken.gymId} chain ${broken.chain} seq ${broken.seq} (${broken.what}): expected ${broken.expected}, found ${broken.found}`,
      );
      code = 1;
    } else {
      console.log(`ok: ${rows} rows in ${gyms} gyms (${chains} chains, ${anchors} anchors, ${unanchored} rows not yet anchored)`);
    }
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(`audit:verify: ${(err as Error).message}`);
  code = 2;
}
process.exit(code);
