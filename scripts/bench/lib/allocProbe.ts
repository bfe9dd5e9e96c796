/**
 * Allocation profile of a server under measurement (`BENCH_SPOTTER_NODE_FLAGS="--import ./scripts/bench/lib/allocProbe.ts"`):
 * V8's sampling heap profiler started at the first Socket.IO `command` event, counting objects the garbage collector
 * already took (what `--heap-prof` leaves out: the churn that costs GC time), written at exit as
 * `<tmpdir>/spotter-alloc-<pid>.heapprofile` (open in Chrome DevTools, or sum by function).
 * ALLOC_PROBE_PROMOTED=1: only objects that outlived the young generation (see below).
 * ALLOC_PROBE_STOP=disconnect: stop sampling at the first socket disconnect after the start (the storm's last answer
 * is in; its sockets closing and what follows are left out).
 */
// First, as in server/main.ts: this probe loads Socket.IO, and a library loaded before it keeps its `debug` loggers.
import "../../../server/quietDebug.js";
import { Session } from "node:inspector";
import { appendFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Socket } from "socket.io";

const session = new Session();
session.connect();
let started = false;
/** ALLOC_PROBE_SKIP=n: start at command n + 1 (e.g. after `--warm`'s storms of 1,000: the measured storm alone, without its connects). */
const skip = Number(process.env.ALLOC_PROBE_SKIP ?? 0);
let seen = 0;
const proto = Socket.prototype as unknown as { onevent(packet: { data?: unknown[] }): void };
const onevent = proto.onevent;
proto.onevent = function (this: unknown, packet: { data?: unknown[] }) {
  if (packet.data?.[0] === "command") seen++;
  if (!started && packet.data?.[0] === "command" && seen > skip) {
    started = true;
    session.post("HeapProfiler.enable");
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 8192,
      includeObjectsCollectedByMajorGC: true,
      // ALLOC_PROBE_PROMOTED=1: leave out what a scavenge took — what is left is what reached the old generation
      // (or is still live): what a later Mark-Compact has to mark and sweep.
      includeObjectsCollectedByMinorGC: !process.env.ALLOC_PROBE_PROMOTED,
    } as never);
  }
  return onevent.call(this, packet);
};
let stopped = false;
const stop = () => {
  if (!started || stopped) return;
  stopped = true;
  if (process.env.ALLOC_PROBE_DEBUG)
    appendFileSync(process.env.ALLOC_PROBE_DEBUG, `allocProbe ${process.pid}: stop after ${seen} commands\n`);
  session.post("HeapProfiler.stopSampling", (err, result) => {
    if (!err) writeFileSync(join(tmpdir(), `spotter-alloc-${process.pid}.heapprofile`), JSON.stringify(result.profile));
  });
};
if (process.env.ALLOC_PROBE_STOP === "disconnect") {
  const sock = Socket.prototype as unknown as { _onclose(reason: unknown, description?: unknown): void };
  const onclose = sock._onclose;
  sock._onclose = function (this: unknown, reason: unknown, description?: unknown) {
    stop();
    return onclose.call(this, reason, description);
  };
}
process.on("exit", stop);
