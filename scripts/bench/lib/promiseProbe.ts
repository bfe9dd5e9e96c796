/**
 * Promises a server makes per command (`BENCH_SPOTTER_NODE_FLAGS="--import ./scripts/bench/lib/promiseProbe.ts"`):
 * V8's promise hook counts every promise created (async functions' own, `then`/`finally` results, awaits of
 * non-promises) from the first Socket.IO `command` event after ALLOC_PROBE_SKIP commands to the first socket
 * disconnect after it (the storm's last answer is in), and appends `promiseProbe <pid>: <n> promises, <c> commands`
 * to `<tmpdir>/spotter-promises.txt`. A count, not a timing: usable on a loaded machine.
 * PROMISE_PROBE_STACKS=n: also where every n-th promise was made (its stack's top frames), most frequent first.
 */
// First, as in server/main.ts: this probe loads Socket.IO, and a library loaded before it keeps its `debug` loggers.
import "../../../server/quietDebug.js";
import { appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promiseHooks } from "node:v8";
import { Socket } from "socket.io";

const skip = Number(process.env.ALLOC_PROBE_SKIP ?? 0);
let seen = 0;
let counted = 0;
let promises = 0;
let stopHook: (() => void) | null = null;
let done = false;
const every = Number(process.env.PROMISE_PROBE_STACKS ?? 0);
const where = new Map<string, number>();
const made = () => {
  if (every > 0 && promises % every === 0) {
    const at = (new Error().stack ?? "")
      .split("\n")
      .slice(2, 8)
      .map((l) => l.trim().replace(/\(.*\/(wt-storm|main)\//, "("))
      .join(" < ");
    where.set(at, (where.get(at) ?? 0) + 1);
  }
  promises++;
};
const proto = Socket.prototype as unknown as { onevent(packet: { data?: unknown[] }): void; _onclose(...args: unknown[]): void };
const onevent = proto.onevent;
proto.onevent = function (this: unknown, packet: { data?: unknown[] }) {
  if (packet.data?.[0] === "command" && !done && ++seen > skip) {
    counted++;
    stopHook ??= promiseHooks.onInit(made) as () => void;
  }
  return onevent.call(this, packet);
};
const onclose = proto._onclose;
proto._onclose = function (this: unknown, ...args: unknown[]) {
  if (stopHook && !done) {
    done = true;
    stopHook();
    const stacks = [...where].sort((a, b) => b[1] - a[1]).map(([at, n]) => `  ${n * every} ${at}\n`);
    appendFileSync(
      join(tmpdir(), "spotter-promises.txt"),
      `promiseProbe ${process.pid}: ${promises} promises, ${counted} commands\n${stacks.join("")}`,
    );
  }
  return onclose.apply(this, args);
};
