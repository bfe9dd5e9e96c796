/**
 * The fan-out scenario on one core, as a model (no sockets, no load dependence): bookings every `interval` ms, each
 * commit lands `base` ms after it was sent; a publish writes to W watchers one after another at `w` µs each (the main
 * thread does nothing else meanwhile, uWS's drain: a booking sent then is read after it, and its commit lands
 * `base` ms later); a watcher room publishes at most once per `hold` µs × W since its last publish, and commits
 * landing meanwhile go out as one delta (`RoomViews`). Prints frames per booking, the thread's share spent on fan-out
 * and the delivery p50/p99. No jitter, GC or generator: the real server does worse near a 100 % share.
 *   node --import tsx scripts/bench/repro/fanoutModel.ts [watchers=10000] [intervalMs=50] [µs per write: 4.1,5,5.5] [holds: 0,7,8,10,12,15]
 */
const W = Number(process.argv[2] ?? 10_000);
const interval = Number(process.argv[3] ?? 50);
const writes = (process.argv[4] ?? "4.1,5,5.5").split(",").map(Number);
const holds = (process.argv[5] ?? "0,7,8,10,12,15").split(",").map(Number);
const base = 5;
const n = 400;
/** The minimum hold the server applies (`MIN_FANOUT_HOLD_MS`). */
const MIN_HOLD_MS = 2;

function run(wUs: number, holdUs: number): { frames: number; busy: number; p50: number; p99: number } {
  const cost = (W * wUs) / 1000;
  const gap = (W * holdUs) / 1000;
  const lat: number[] = [];
  let free = 0; // the main thread is in a drain until then
  let last = -Infinity; // the last publish
  let read = 0; // bookings read so far (a booking is read when the thread is free, all waiting ones together)
  const commits: { at: number; sent: number[] }[] = [];
  let pending: number[] = [];
  let frames = 0;
  for (let t = 0; read < n || commits.length || pending.length; t += 0.1) {
    if (t < free) continue;
    const arrived: number[] = [];
    while (read < n && read * interval <= t) arrived.push(read++ * interval);
    if (arrived.length) commits.push({ at: t + base, sent: arrived }); // one group commit, landing `base` ms later
    while (commits.length && commits[0]!.at <= t) pending.push(...commits.shift()!.sent);
    if (!pending.length || (gap >= MIN_HOLD_MS && t < last + gap)) continue;
    frames += 1;
    // Every 50th watcher in write order stands for its neighbours.
    for (const sent of pending) for (let i = 0; i < W; i += 50) lat.push(t + (cost * (i + 1)) / W - sent);
    free = t + cost;
    last = t;
    pending = [];
  }
  lat.sort((a, b) => a - b);
  const at = (q: number) => lat[Math.floor(lat.length * q)]!;
  return { frames: frames / n, busy: (frames * cost) / (n * interval), p50: at(0.5), p99: at(0.99) };
}

for (const w of writes)
  for (const h of holds) {
    const r = run(w, h);
    console.log(
      `${W} watchers, a booking every ${interval} ms, ${w} µs per write, hold ${h} µs per watcher: ${r.frames.toFixed(2)} frames per booking, ` +
        `fan-out ${(r.busy * 100).toFixed(0)} % of the thread, delivery p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`,
    );
  }
