/** `npm run seed` creates the demo gym when the database holds no gym yet. */
import { embeddedTarget, migrateUp, openDatabase } from "../db/orm.js";
import { isEmpty, seedDemo } from "../demo/seedDemo.js";

const url = process.env.DATABASE_URL;
const db = await openDatabase(url ? { kind: "postgres", url } : embeddedTarget(process.env.DATA_DIR ?? "./data"), 1);
try {
  if (!url) await migrateUp(db);
  if (!(await isEmpty(db.orm.em.fork()))) console.log("seed: the database already holds a gym; nothing to do.");
  else console.log("seed: created", await seedDemo(db.orm, Date.now()));
} finally {
  await db.close();
}
