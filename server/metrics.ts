import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Every metric Spotter exports at GET /metrics, on a registry of its own (no globals, several servers per process in tests). */
export function createMetrics() {
  const registry = new Registry();
  /** Set by the server once rooms exist: live rooms with their kind and estimated state size. */
  const source = { rooms: (): { kind: string; bytes: number }[] => [] };
  const byKind = (f: (r: { kind: string; bytes: number }) => number) => {
    const out = new Map<string, number>();
    for (const r of source.rooms()) out.set(r.kind, (out.get(r.kind) ?? 0) + f(r));
    return out;
  };
  collectDefaultMetrics({ register: registry, prefix: "spotter_process_" });
  return {
    registry,
    connections: new Gauge({ name: "spotter_connections", help: "Open WebSocket connections", registers: [registry] }),
    source,
    roomsLive: new Gauge({
      name: "spotter_rooms_live",
      help: "Room actors in memory",
      labelNames: ["kind"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, n] of byKind(() => 1)) this.set({ kind }, n);
      },
    }),
    roomStateBytes: new Gauge({
      name: "spotter_room_state_bytes",
      help: "Estimated bytes of committed state held by live rooms, by kind (idle rooms are evicted after ROOM_IDLE_MS)",
      labelNames: ["kind"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, n] of byKind((r) => r.bytes)) this.set({ kind }, n);
      },
    }),
    commands: new Counter({
      name: "spotter_commands_total",
      help: "Commands answered, by type and outcome",
      labelNames: ["type", "outcome"],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: "spotter_command_duration_seconds",
      help: "Time from command receipt to acknowledgement (includes the durable commit)",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    flushBatch: new Histogram({
      name: "spotter_flush_batch_size",
      help: "Commands per group commit",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    noticePush: new Histogram({
      name: "spotter_notice_push_seconds",
      help: "Time from a notice's commit to its push accepted by the push service",
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
      registers: [registry],
    }),
    flushFailures: new Counter({
      name: "spotter_flush_failures_total",
      help: "Group commits that failed and rolled the room back",
      registers: [registry],
    }),
    errors: new Counter({ name: "spotter_errors_total", help: "Error answers by code", labelNames: ["code"], registers: [registry] }),
    slowConsumers: new Counter({
      name: "spotter_slow_consumers_total",
      help: "Watchers dropped to a fresh snapshot or disconnected because they could not keep up",
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
