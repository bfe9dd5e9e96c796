/**
 * Watch a class live as staff, and book it as a member, over the real protocol:
 *   node --import tsx scripts/demo-watch.ts [serverUrl]
 * Prints the roster delta the staff socket receives and how long after the booking it arrived.
 * Uses the embedded mode's secret in ./data (or JWT_SECRET) to sign demo tokens.
 */
import { randomUUID } from "node:crypto";
import { io } from "socket.io-client";
import { devSecret, signToken } from "../server/auth.js";
import { DEMO_GYM_ID, demoId } from "../server/demo/seedDemo.js";

const url = process.argv[2] ?? "http://127.0.0.1:3000";
const secret = process.env.JWT_SECRET ?? devSecret(process.env.DATA_DIR ?? "./data");
const connect = async (key: string) => {
  const socket = io(url, { auth: { token: await signToken(secret, demoId(`user:${key}`)) }, transports: ["websocket"] });
  await new Promise<void>((ok, fail) => {
    socket.once("connect", () => ok());
    socket.once("connect_error", (e) => fail(e));
  });
  return socket;
};

const staff = await connect("owner");
const gym = await staff.emitWithAck("room:join", { room: `gym:${DEMO_GYM_ID}` });
if (!gym.ok) throw new Error(JSON.stringify(gym.error));
const schedule = Object.values(
  gym.result.snapshot.schedule as Record<string, { id: string; startsAt: number; spotsLeft: number; className: string; status: string }>,
);
const target = schedule
  .filter((s) => s.startsAt > Date.now() + 3 * 3_600_000 && s.status === "scheduled")
  .sort((a, b) => a.startsAt - b.startsAt)[0];
if (!target) throw new Error("no upcoming class in the demo schedule");
const room = `class:${target.id}`;
const joined = await staff.emitWithAck("room:join", { room });
console.log(
  `staff watching ${target.className} (${new Date(target.startsAt).toISOString()}): seq ${joined.result.seq}, ${joined.result.snapshot.counts.booked} booked`,
);

let sentAt = 0;
staff.on("room:delta", (d: { room: string; seq: number; ops: unknown[] }) => {
  if (d.room !== room) return;
  console.log(`staff got delta seq ${d.seq} after ${(performance.now() - sentAt).toFixed(1)} ms:`, JSON.stringify(d.ops).slice(0, 300));
});

const member = await connect("member2");
sentAt = performance.now();
const ack = await member.emitWithAck("command", {
  commandId: randomUUID(),
  room,
  type: "class:book",
  payload: { sessionId: target.id, waitlist: true },
});
console.log(`member ack after ${(performance.now() - sentAt).toFixed(1)} ms:`, JSON.stringify(ack));
await new Promise((r) => setTimeout(r, 300));
staff.close();
member.close();
