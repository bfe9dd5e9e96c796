import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigVariables } from "../../server/config.js";
import { nodeCommand, runToExit, serverEnv, startServerProcess } from "../../scripts/lib/serverProcess.js";
import { makeTempDir, withMigratedDatabase } from "../support/services.js";

// The real entry point as an operator runs it: `node --import tsx server/main.ts`.
describe("the server process", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = makeTempDir();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  // Every variable's validation is covered in config.test.ts; this checks what the operator sees.
  it("exits with status 2 and one stderr line naming the variable on a bad value, without a stack trace", async () => {
    const exit = await runToExit(nodeCommand, serverEnv({ DATA_DIR: tempDir(), PORT: "70000" }));
    expect(exit.code).toBe(2);
    const lines = exit.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^spotter: bad configuration: PORT: /);
    expect(exit.stderr).not.toMatch(/^\s+at /m);
    expect(exit.stdout).toBe("");
  });

  it("lists every environment variable under --help", async () => {
    const exit = await runToExit([...nodeCommand, "--help"], serverEnv({}));
    expect(exit.code).toBe(0);
    for (const name of Object.keys(ConfigVariables)) expect(exit.stdout).toContain(name);
  });

  // A first boot (creating the embedded database) is covered by scripts/smoke.ts; these start from a migrated copy.
  it("stops with exit status 0 within 10 s of SIGTERM", async () => {
    const dataDir = await withMigratedDatabase(tempDir());
    const server = await startServerProcess(nodeCommand, serverEnv({ DATA_DIR: dataDir, PORT: "0", SEED_DEMO: "false" }));
    await server.waitForOutput("Spotter is live"); // see the next test: signal handlers are installed only after this banner
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const exit = await server.stop("SIGTERM", 10_000);
    expect(exit.code, `${exit.stdout}\n${exit.stderr}`).toBe(0);
    expect(exit.ms).toBeLessThan(10_000);
    expect(exit.stdout).toContain('"msg":"stopped"');
  });

  // Regression: server/main.ts installed its SIGTERM/SIGINT handlers only after awaiting the demo-login banner,
  // so a SIGTERM that arrived once the node listened (and served) but before the banner killed it without a graceful stop.
  it("stops gracefully on a SIGTERM that arrives as soon as it logs that it listens", async () => {
    const dataDir = await withMigratedDatabase(tempDir());
    const server = await startServerProcess(nodeCommand, serverEnv({ DATA_DIR: dataDir, PORT: "0", SEED_DEMO: "false" }));
    const exit = await server.stop("SIGTERM", 10_000);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('"msg":"stopped"');
  });
});
