/** One lane of a fuzz run: a raw client sending one seed's frames and checking every answer against its expectation. */
import type { Ack } from "../../../domain/protocol/envelope.js";
import { FrameGenerator } from "./frameGenerator.js";
import type { Category, FuzzFrame, FuzzTargets } from "./frames.js";
import { typedAckProblem, WireClient } from "./wireClient.js";

export interface Lane {
  token: string;
  targets: FuzzTargets;
}

export interface LaneReport {
  frames: number;
  wireFrames: number;
  bytes: number;
  byCategory: Partial<Record<Category, number>>;
  /** "ok" or the error code, per answer. */
  answers: Record<string, number>;
  /** For `may-close` frames: how many closed the connection and how many it survived. */
  closes: Partial<Record<Category, { closed: number; survived: number }>>;
  knownIssues: Record<string, Record<string, number>>;
  violations: string[];
}

const show = (f: FuzzFrame) =>
  f.wire
    .map((p) =>
      typeof p.data === "string"
        ? JSON.stringify(p.data.length > 160 ? `${p.data.slice(0, 160)}…(${p.data.length})` : p.data)
        : `<${p.data.length} bytes>`,
    )
    .join(" + ");

export interface LaneOptions {
  /** Frames per second outside floods: below the server's rate, so ordinary frames reach validation and authorization. */
  ratePerSecond: number;
  /** A burst of this many commands in the middle of the lane (0 = none). */
  flood: number;
  /** Unanswered frames in flight before the lane waits. */
  window?: number;
  answerTimeoutMs?: number;
}

/**
 * Sends `frames` frames of one seeded lane (floods included). Pipelines frames that must be answered,
 * waits for every answer before a frame that may close the connection, then probes with a sentinel
 * whether the connection survived (reconnecting if not).
 */
export async function runLane(url: string, lane: Lane, seed: number, frames: number, o: LaneOptions): Promise<LaneReport> {
  const window = o.window ?? 256;
  const answerTimeoutMs = o.answerTimeoutMs ?? 20_000;
  const gen = new FrameGenerator(seed, lane.targets);
  const report: LaneReport = {
    frames: 0,
    wireFrames: 0,
    bytes: 0,
    byCategory: {},
    answers: {},
    closes: {},
    knownIssues: {},
    violations: [],
  };
  const violation = (s: string) => {
    if (report.violations.length < 50) report.violations.push(s);
  };
  const open = async () => {
    const h = await WireClient.connect(url, lane.token);
    if (!h.ok) throw new Error(`fuzz lane refused: ${h.message}`);
    return h.client;
  };
  let client = await open();
  let pending: { id: number; frame: FuzzFrame }[] = [];
  let silent: { id: number; frame: FuzzFrame }[] = [];

  const settle = async (c: WireClient) => {
    for (const p of pending) {
      if (!(await c.awaitAnswer(p.id, answerTimeoutMs))) {
        violation(
          c.closed
            ? `connection closed before answering ${p.frame.category}: ${show(p.frame)}`
            : `no answer within ${answerTimeoutMs} ms to ${p.frame.category}: ${show(p.frame)}`,
        );
        continue;
      }
      const args = c.answers.get(p.id)!;
      const problem = typedAckProblem(args);
      if (problem) {
        violation(`${problem} — for ${p.frame.category}: ${show(p.frame)}`);
        continue;
      }
      const a = args[0] as Ack<unknown>;
      const outcome = a.ok ? "ok" : a.error.code;
      if (p.frame.knownIssue) {
        const seen = (report.knownIssues[p.frame.knownIssue] ??= {});
        seen[outcome] = (seen[outcome] ?? 0) + 1;
      } else {
        report.answers[outcome] = (report.answers[outcome] ?? 0) + 1;
        if (outcome === "INTERNAL") violation(`INTERNAL for ${p.frame.category}: ${show(p.frame)}`);
        else if (p.frame.mustRefuse && outcome !== "VALIDATION_FAILED" && outcome !== "RATE_LIMITED")
          violation(`unstorable text answered ${outcome}: ${show(p.frame)}`);
      }
    }
    for (const s of silent)
      if (c.answers.has(s.id)) violation(`answered a frame that asked for no answer (${s.frame.category}): ${show(s.frame)}`);
    pending = [];
    silent = [];
  };

  // The frames before a violation, for its report: a connection's state is the sum of what it was sent.
  const recent: FuzzFrame[] = [];
  const history = () => recent.slice(0, -1).map(show).join(" ; ");
  const send = async (frame: FuzzFrame) => {
    recent.push(frame);
    if (recent.length > 4) recent.shift();
    report.frames += 1;
    report.wireFrames += frame.wire.length;
    report.bytes += frame.wire.reduce((s, p) => s + Buffer.byteLength(p.data), 0);
    report.byCategory[frame.category] = (report.byCategory[frame.category] ?? 0) + 1;
    if (frame.expect === "may-close") {
      await settle(client);
      client.send(frame);
      const sentinel = { commandId: "fuzz-sentinel", room: `user:${lane.targets.selfId}`, type: "fuzz:sentinel", payload: {} };
      // A sentinel in the same read as a DISCONNECT ("41") is dropped by Socket.IO without closing; the second one closes.
      let probe = await client.request("command", sentinel, 1_000);
      if (probe === "timeout") probe = await client.request("command", sentinel, answerTimeoutMs);
      const c = (report.closes[frame.category] ??= { closed: 0, survived: 0 });
      if (probe === "timeout") {
        violation(`neither answered nor closed after ${frame.category}: ${show(frame)} (preceded by ${history()})`);
        await client.close();
        client = await open();
      } else if (probe === null) {
        c.closed += 1;
        client = await open();
      } else {
        c.survived += 1;
        const problem = typedAckProblem(probe);
        if (problem) violation(`sentinel after ${frame.category}: ${problem}`);
      }
      return;
    }
    if (client.closed) {
      violation(`the server closed the connection unexpectedly before ${frame.category}: ${show(frame)} (preceded by ${history()})`);
      await settle(client);
      client = await open();
    }
    client.send(frame);
    if (frame.ackId !== null) (frame.expect === "ack" ? pending : silent).push({ id: frame.ackId, frame });
    if (pending.length >= window) await settle(client);
  };

  const started = performance.now();
  const floodAt = o.flood > 0 ? Math.floor((frames - o.flood) / 2) : -1;
  for (let sent = 0; report.frames < frames; sent++) {
    if (report.frames === floodAt) {
      for (const frame of gen.flood(Math.min(o.flood, frames - report.frames))) await send(frame);
      continue;
    }
    const ahead = sent - ((performance.now() - started) / 1000) * o.ratePerSecond;
    if (ahead > 0) await new Promise((r) => setTimeout(r, (ahead / o.ratePerSecond) * 1000));
    await send(gen.next());
  }
  // Answers come in order, so once the last answer is in, an answer to a "silent" frame would be too; 100 ms of slack.
  await new Promise((r) => setTimeout(r, 100));
  await settle(client);
  await client.close();
  return report;
}

/** Adds the counts and violations of `r` to `into`. */
export function merge(into: LaneReport, r: LaneReport): void {
  into.frames += r.frames;
  into.wireFrames += r.wireFrames;
  into.bytes += r.bytes;
  for (const [k, v] of Object.entries(r.byCategory)) into.byCategory[k as Category] = (into.byCategory[k as Category] ?? 0) + v;
  for (const [k, v] of Object.entries(r.answers)) into.answers[k] = (into.answers[k] ?? 0) + v;
  for (const [k, v] of Object.entries(r.closes)) {
    const c = (into.closes[k as Category] ??= { closed: 0, survived: 0 });
    c.closed += v.closed;
    c.survived += v.survived;
  }
  for (const [issue, outcomes] of Object.entries(r.knownIssues)) {
    const seen = (into.knownIssues[issue] ??= {});
    for (const [k, v] of Object.entries(outcomes)) seen[k] = (seen[k] ?? 0) + v;
  }
  into.violations.push(...r.violations);
}
