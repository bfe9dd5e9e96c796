/**
 * Allocation profile of a server under measurement (`BENCH_SPOTTER_NODE_FLAGS="--import ./scripts/bench/lib/allocProbe.ts"`):
 * V8's sampling heap profiler started at the first Socket.IO `command` event, counting objects the garbage collector
 * already took (what `--heap-prof` leaves out: the churn that costs GC time), written at exit as
 * `<tmpdir>/spotter-alloc-<pid>.heapprofile` (open in Chrome DevTools, or sum by function).
 */
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Socket } from "socket.io";

const session = new Session();
session.connect();
let started = false;
const proto = Socket.prototype as unknown as { onevent(packet: { data?: unknown[] }): void };
const onevent = proto.onevent;
proto.onevent = function (this: unknown, packet: { data?: unknown[] }) {
  if (!started && packet.data?.[0] === "command") {
    started = true;
    session.post("HeapProfiler.enable");
    session.post("HeapProfiler.startSampling", {
      samplingInterval: 8192,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as never);
  }
  return onevent.call(this, packet);
};
process.on("exit", () => {
  if (!started) return;
  session.post("HeapProfiler.stopSampling", (err, result) => {
    if (!err) writeFileSync(join(tmpdir(), `spotter-alloc-${process.pid}.heapprofile`), JSON.stringify(result.profile));
  });
});
