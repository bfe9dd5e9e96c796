import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectoryLocked, lockDirectory } from "../../../server/db/directoryLock.js";
import { EmbeddedDatabaseInUse, embeddedTarget, openDatabase } from "../../../server/db/orm.js";
import { makeTempDir } from "../../support/services.js";

/** The PID of a process that has already exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("the embedded database's directory lock", () => {
  const dir = makeTempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lockFile = (name: string) => join(dir, name);

  it("refuses a second holder, naming the PID of the first, until the first releases", () => {
    const release = lockDirectory(lockFile("a.lock"));
    expect(() => lockDirectory(lockFile("a.lock"))).toThrow(DirectoryLocked);
    expect(() => lockDirectory(lockFile("a.lock"))).toThrow(`held by process ${process.pid}`);
    release();
    lockDirectory(lockFile("a.lock"))();
  });

  it("takes over a lock whose process is gone (a crash), or that a crash left torn", () => {
    writeFileSync(lockFile("b.lock"), JSON.stringify({ pid: deadPid(), host: hostname() }));
    lockDirectory(lockFile("b.lock"))();
    writeFileSync(lockFile("c.lock"), '{"pid":');
    lockDirectory(lockFile("c.lock"))();
  });

  it("counts a lock from another host as held (its process cannot be checked from here)", () => {
    writeFileSync(lockFile("d.lock"), JSON.stringify({ pid: deadPid(), host: "elsewhere.example" }));
    expect(() => lockDirectory(lockFile("d.lock"))).toThrow(/held by process \d+ on elsewhere\.example/);
  });

  it("regression: a second openDatabase on one DATA_DIR opened the same PGlite files (each lost the other's writes)", async () => {
    const target = embeddedTarget(join(dir, "data"));
    const db = await openDatabase(target, 1);
    try {
      await expect(openDatabase(target, 1)).rejects.toThrow(EmbeddedDatabaseInUse);
      await expect(openDatabase(target, 1)).rejects.toThrow(`is in use by process ${process.pid} `);
    } finally {
      await db.close();
    }
    await (await openDatabase(target, 1)).close();
  }, 60_000);
});
