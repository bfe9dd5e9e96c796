/**
 * `npm run token -- --user <id|email> [--gym <id>] [--ttl <seconds>]` prints a signed JWT for a user.
 * Uses JWT_SECRET, or the embedded mode's secret in DATA_DIR.
 */
import { parseArgs } from "node:util";
import { signToken, devSecret } from "../auth.js";
import { ConfigVariables } from "../config.js";
import { EmbeddedDatabaseInUse, embeddedTarget, openDatabase } from "../db/orm.js";
import { demoId } from "../demo/seedDemo.js";
import { GymMembershipEntity, UserEntity } from "../db/entities/index.js";

const { values } = parseArgs({
  options: { user: { type: "string" }, gym: { type: "string" }, ttl: { type: "string", default: "43200" } },
});
if (!values.user) {
  console.error("usage: npm run token -- --user <id|email> [--gym <id>] [--ttl <seconds>]");
  process.exit(2);
}
const ttl = Number(values.ttl);
const maxLifetime = ConfigVariables.MAX_TOKEN_LIFETIME.schema.safeParse(process.env.MAX_TOKEN_LIFETIME || undefined);
const maxSeconds = maxLifetime.success ? maxLifetime.data / 1000 : 12 * 3600;
if (!Number.isInteger(ttl) || ttl <= 0 || ttl > maxSeconds) {
  // A longer token would be refused by the server (MAX_TOKEN_LIFETIME), so don't print one.
  console.error(`token: --ttl must be a whole number of seconds (1..${maxSeconds}, the server's MAX_TOKEN_LIFETIME)`);
  process.exit(2);
}
const dataDir = process.env.DATA_DIR ?? "./data";
const secret = process.env.JWT_SECRET ?? devSecret(dataDir);
const target = process.env.DATABASE_URL ? { kind: "postgres" as const, url: process.env.DATABASE_URL } : embeddedTarget(dataDir);
const db = await openDatabase(target, 1).catch((err: unknown) => {
  if (!(err instanceof EmbeddedDatabaseInUse)) throw err;
  return null; // a running server holds the embedded database: demo users' ids need no lookup
});
if (!db) {
  const demo = /^([a-z0-9]+)@demo\.spotter\.gym$/.exec(values.user.toLowerCase());
  if (!demo || values.gym) {
    console.error("token: the embedded database is in use by a running server; stop it to look up users other than the demo's");
    process.exit(2);
  }
  console.log(await signToken(secret, demoId(`user:${demo[1]}`), ttl, process.env.JWT_ISSUER));
  process.exit(0);
}
try {
  const em = db.orm.em.fork();
  const user = await em.findOne(UserEntity, values.user.includes("@") ? { email: values.user.toLowerCase() } : { id: values.user });
  if (!user) {
    console.error(`token: no user ${values.user}`);
    process.exit(2);
  }
  if (values.gym && !(await em.findOne(GymMembershipEntity, { gymId: values.gym, userId: user.id }))) {
    console.error(`token: ${user.email} has no membership in gym ${values.gym}`);
    process.exit(2);
  }
  console.log(await signToken(secret, user.id, ttl, process.env.JWT_ISSUER));
} finally {
  await db.close();
}
