/**
 * Garbage-collector count of a server under measurement (`BENCH_SPOTTER_NODE_FLAGS="--import ./scripts/bench/lib/gcProbe.ts"`):
 * from the first Socket.IO `command` event to exit, V8's GC profiler records every collection; at exit it writes
 * `<tmpdir>/spotter-gc-<pid>.json` with the commands seen, collections by kind, their pause time, and the bytes
 * allocated (heap used before each collection minus after the previous one) — totals and per command.
 * Counts, not timings: usable on a loaded machine.
 */
// First, as in server/main.ts: this probe loads Socket.IO, and a library loaded before it keeps its `debug` loggers.
import "../../../server/quietDebug.js";
import { writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GCProfiler } from "node:v8";
import { Socket } from "socket.io";

interface GcEntry {
  gcType: string;
  cost: number;
  beforeGC: { heapStatistics: { usedHeapSize: number } };
  afterGC: { heapStatistics: { usedHeapSize: number } };
}

const profiler = new GCProfiler();
let commands = 0;
let started = false;
const proto = Socket.prototype as unknown as { onevent(packet: { data?: unknown[] }): void };
const onevent = proto.onevent;
proto.onevent = function (this: unknown, packet: { data?: unknown[] }) {
  if (packet.data?.[0] === "command") {
    commands++;
    // Marks in stdout between V8's own trace lines (--trace-opt, --trace-gc): where each thousand commands begins.
    if (commands % 1000 === 1) writeSync(1, `gcProbe: command ${commands}\n`);
    if (!started) {
      started = true;
      profiler.start();
    }
  }
  return onevent.call(this, packet);
};

process.on("exit", () => {
  if (!started) return;
  const { statistics } = profiler.stop() as unknown as { statistics: GcEntry[] };
  const kinds: Record<string, { count: number; pauseMs: number }> = {};
  let allocated = 0;
  let last: number | undefined;
  for (const e of statistics) {
    const k = (kinds[e.gcType] ??= { count: 0, pauseMs: 0 });
    k.count++;
    k.pauseMs += e.cost / 1000;
    if (last !== undefined) allocated += Math.max(0, e.beforeGC.heapStatistics.usedHeapSize - last);
    last = e.afterGC.heapStatistics.usedHeapSize;
  }
  const per = Math.max(1, commands);
  writeFileSync(
    join(tmpdir(), `spotter-gc-${process.pid}.json`),
    JSON.stringify({
      commands,
      collections: statistics.length,
      kinds,
      allocatedMB: allocated / 1e6,
      allocatedKBPerCommand: allocated / 1e3 / per,
      collectionsPer1000Commands: (statistics.length * 1000) / per,
      pauseMsPerCommand: Object.values(kinds).reduce((a, k) => a + k.pauseMs, 0) / per,
      each: statistics.map(
        (e) =>
          `${e.gcType} ${(e.cost / 1000).toFixed(1)} ms ${(e.beforeGC.heapStatistics.usedHeapSize / 1e6).toFixed(1)}→${(e.afterGC.heapStatistics.usedHeapSize / 1e6).toFixed(1)} MB`,
      ),
    }),
  );
});
