import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

/** Another live process holds the lock: `pid` is what an operator needs to find it. */
export class DirectoryLocked extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
    readonly host: string,
  ) {
    super(`${path} is held by process ${pid}${host === hostname() ? "" : ` on ${host}`}`);
  }
}

/** Paths this process holds: a second open in the same process is refused too (its PID is alive). */
const heldHere = new Set<string>();

interface Holder {
  pid: number;
  host: string;
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<Holder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string" ? { pid: parsed.pid, host: parsed.host } : null;
  } catch {
    return null; // gone, or torn by a crash mid-write: stale either way
  }
}

/** Whether the holder may still be running. On another host it can't be checked, so it counts as alive. */
function alive(holder: Holder, path: string): boolean {
  if (holder.host !== hostname()) return true;
  // Our own PID: held by this process, or left by an earlier life of a container that is PID 1 every time.
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, owned by someone else
  }
}

/** Writes a complete lock file under a temporary name, then links it into place: no reader ever sees a half-written one. */
function create(path: string): boolean {
  const content = JSON.stringify({ pid: process.pid, host: hostname() });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return false;
    if (!NO_HARD_LINKS.has(code)) throw err;
    return createInPlace(path, content);
  } finally {
    unlinkSync(temp);
  }
}

/** Filesystems without hard links (some network and FUSE mounts): create exclusively and write in place. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

function createInPlace(path: string, content: string): boolean {
  try {
    writeFileSync(path, content, { flag: "wx", mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
}

/**
 * Takes the lock file at `path` (created exclusively, holding this PID and host) or throws `DirectoryLocked`
 * naming the process that holds it. A lock left by a process that is gone (a crash, `kill -9`) is taken over.
 * Returns the release function (idempotent).
 */
export function lockDirectory(path: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(path)) {
      heldHere.add(path);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        heldHere.delete(path);
        const holder = readHolder(path);
        if (holder?.pid === process.pid && holder.host === hostname()) unlinkSync(path);
      };
    }
    const holder = readHolder(path);
    if (holder && alive(holder, path)) throw new DirectoryLocked(path, holder.pid, holder.host);
    // Stale: remove it only if it is still the file we judged (another starter may have taken it over meanwhile).
    const again = readHolder(path);
    if (again?.pid === holder?.pid && again?.host === holder?.host) {
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
      }
    }
  }
  const holder = readHolder(path);
  throw new DirectoryLocked(path, holder?.pid ?? 0, holder?.host ?? hostname());
}
