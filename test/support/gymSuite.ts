import type { EntityManager } from "@mikro-orm/core";
import { afterAll, beforeAll } from "vitest";
import type { ServerOptions } from "../../server/createServer.js";
import { aGym, type GymFixture, type GymOptions } from "./gymFixture.js";
import { startTestServer, suiteDatabase, type Service, type SuiteDatabase, type TestServer } from "./services.js";
import { suiteSockets, type TestSocket } from "./sockets.js";

export interface GymSuiteOptions extends GymOptions {
  /** A database of the suite's own (`suiteDatabase`: PostgreSQL when `pg` answered, else PGlite), dropped after it. */
  pg?: Service;
  /** The node's settings besides the test defaults. */
  env?: Record<string, string>;
  /** The node's logger, clock and such. */
  server?: ServerOptions;
  /** Runs once the node is up, before the gym is made (say, to stop a job whose passes the suite runs itself). */
  started?: (t: TestServer) => Promise<void>;
  /** Connects the gym's owner and front desk (`owner`, `desk`) before the tests. */
  staff?: boolean;
}

/** A started node with one gym, for the tests of one `describe`. */
export interface GymSuite {
  readonly t: TestServer;
  readonly gym: GymFixture;
  /** The suite's sockets, closed after its tests. */
  readonly sockets: ReturnType<typeof suiteSockets>;
  /** The owner's socket (`staff: true`). */
  readonly owner: TestSocket;
  /** The front desk's socket (`staff: true`). */
  readonly desk: TestSocket;
  /** The gym room, `gym:<gymId>`. */
  readonly room: string;
  /** A fresh EntityManager of the node's database. */
  em(): EntityManager;
}

/**
 * Gives the calling `describe` a node with one gym, started before its tests and closed (sockets, node, its own
 * database) after them.
 * @example const s = gymSuite({ members: 3, staff: true }); … await s.owner.command(s.room, …); s.gym.members[0]
 */
export function gymSuite(options: GymSuiteOptions = {}): GymSuite {
  const { pg, env = {}, server, started, staff = false, ...gymOptions } = options;
  let db: SuiteDatabase | undefined;
  let t: TestServer | undefined;
  let gym: GymFixture | undefined;
  let owner: TestSocket | undefined;
  let desk: TestSocket | undefined;
  const set = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`gymSuite: no ${what} (before the suite started, or without \`staff: true\`)`);
    return v;
  };
  const sockets = suiteSockets(() => set(t, "server").server);

  beforeAll(async () => {
    if (pg) db = await suiteDatabase(pg);
    t = await startTestServer({ ...db?.env, ...env }, server);
    await started?.(t);
    gym = await aGym(t.server.db.orm, gymOptions);
    if (staff) [owner, desk] = await Promise.all([sockets.connect(gym.ownerId), sockets.connect(gym.deskId)]);
  }, 60_000);

  afterAll(async () => {
    sockets.closeAll();
    await t?.cleanup();
    await db?.drop();
  });

  return {
    get t() {
      return set(t, "server");
    },
    get gym() {
      return set(gym, "gym");
    },
    sockets,
    get owner() {
      return set(owner, "owner socket");
    },
    get desk() {
      return set(desk, "desk socket");
    },
    get room() {
      return `gym:${set(gym, "gym").gymId}`;
    },
    em: () => set(t, "server").server.db.orm.em.fork(),
  };
}
