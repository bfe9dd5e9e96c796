/** The demo gym's classes: ten class types, two weeks of sessions around `now`, and their bookings and waitlists. */
import type { Booking, ClassSession, ClassType, User, WaitlistEntry } from "../../domain/model.js";
import { policyFields } from "../../domain/schedule/generateSessions.js";
import { isoWeekBounds } from "../../domain/schedule/timeZone.js";
import { demoId } from "./demoIds.js";
import type { DemoPeople } from "./demoPeople.js";
import { demoExtraSessions, demoSessionTimes } from "./demoSchedule.js";

const CLASS_TYPES = [
  ["Strength", "#e4572e", "Heavy squats, presses and pulls in low-rep sets; the coach sets your weights."],
  ["Conditioning", "#17bebb", "Short, intense circuits to raise your engine. Any level; scale the reps."],
  ["Olympic Lifting", "#ffc914", "Snatch and clean & jerk technique with a barbell, drills to full lifts."],
  ["Gymnastics", "#76b041", "Pull-ups, handstands and core control, with progressions for every level."],
  ["Mobility", "#2e86ab", "Slow stretching and joint work to move better and recover. Bring comfy clothes."],
  ["Open Gym", "#a23b72", "Train on your own plan; a coach is on the floor for questions."],
  ["Bootcamp", "#f18f01", "Full-body group workout outdoors or in the hall — fun, fast, beginner-friendly."],
  ["Yoga", "#6a4c93", "Flowing yoga for strength and balance. Mats provided."],
  ["Spin", "#c73e1d", "Indoor cycling to music, intervals on a bike you can set to your pace."],
  ["Endurance", "#3b8ea5", "Longer rowing, running and bike pieces to build your aerobic base."],
] as const;

export interface DemoClasses {
  classTypes: ClassType[];
  sessions: ClassSession[];
  /** Active members without a class pack: the ones who book (and who train, in seedTraining and seedFeed). */
  active: User[];
  bookings: Booking[];
  waitlist: WaitlistEntry[];
}

/** Classes and who booked them, drawn from `rand` after the people (the demo's one seeded sequence: call order matters). */
export function demoClasses(rand: () => number, now: number, people: DemoPeople): DemoClasses {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const { gym, locations, coaches, members, memberships } = people;
  const classTypes: ClassType[] = CLASS_TYPES.map(([name, color, description]) => ({
    id: demoId(`type:${name}`),
    gymId: gym.id,
    name,
    description,
    color,
    promotionMode: null,
  }));

  const times = demoSessionTimes(now, gym.timeZone);
  const extras = demoExtraSessions(
    now,
    times.map((t) => t.startsAt),
  ).map((e, k) => ({ ...e, slot: k, locations: [locations[0]!] }));
  const openGym = classTypes.find((t) => t.name === "Open Gym")!;
  const sessions: ClassSession[] = [...times.map((t) => ({ ...t, minutes: 60, kind: "class" as const, locations })), ...extras].flatMap(
    ({ startsAt, slot, minutes, kind, locations: at }, i) =>
      at.map((loc, li) => {
        const type = kind === "open_gym" ? openGym : classTypes[(i + li * 3) % classTypes.length]!;
        return {
          id: demoId(`session:${startsAt}:${loc.name}`),
          gymId: gym.id,
          locationId: loc.id,
          classTypeId: type.id,
          coachId: coaches[(slot + li) % coaches.length]!.id,
          scheduleId: null,
          roomId: null,
          startsAt,
          endsAt: startsAt + minutes * 60_000,
          capacity: slot === 1 ? 12 : 16,
          status: startsAt + minutes * 60_000 < now ? "completed" : "scheduled",
          cancelReason: null,
          ...policyFields(gym.policy, type.promotionMode),
        } satisfies ClassSession;
      }),
  );

  const active = members.filter((_, i) => memberships[i + 6]!.status === "active" && memberships[i + 6]!.credits === null);
  const bookings: Booking[] = [];
  const waitlist: WaitlistEntry[] = [];
  // Who tried to book each upcoming class, in order: the class rooms decide who gets in (see `bookAhead`).
  const ahead: { session: ClassSession; list: User[] }[] = [];
  for (const s of sessions) {
    const upcoming = s.startsAt > now;
    // A class running now: most booked members are in, the rest may still come.
    const running = !upcoming && s.endsAt > now;
    const fill = upcoming ? (s.startsAt - now < 3 * 86_400_000 ? 0.6 + rand() * 0.8 : rand() * 0.6) : 0.5 + rand() * 0.5;
    const want = Math.floor(s.capacity * fill);
    const chosen = new Set<User>();
    while (chosen.size < Math.min(want, active.length)) chosen.add(pick(active));
    const list = [...chosen];
    if (upcoming) {
      ahead.push({ session: s, list });
      continue;
    }
    list.slice(0, s.capacity).forEach((m, k) => {
      const status: Booking["status"] = running ? (rand() < 0.7 ? "checked_in" : "booked") : rand() < 0.88 ? "checked_in" : "no_show";
      const at = s.startsAt - (3 + k) * 3_600_000;
      bookings.push(aBooking(s, m, status, at));
    });
  }
  bookAhead(ahead, sessions, bookings, waitlist, people);
  return { classTypes, sessions, active, bookings, waitlist };
}

const aBooking = (s: ClassSession, m: User, status: Booking["status"], at: number): Booking => ({
  id: demoId(`booking:${s.id}:${m.id}`),
  gymId: s.gymId,
  sessionId: s.id,
  memberId: m.id,
  status,
  createdAt: at,
  updatedAt: at,
  creditUsed: false,
  promotedFromWaitlist: false,
});

/**
 * Upcoming classes, earliest first: each member who tried takes a spot while there are spots, then a place on the
 * waitlist — if the class rooms let them: a weekly plan's classes that week (booked, attended or missed, history
 * included) must not be used up. The rooms make these bookings while seeding (seedDemo.ts), so every one must pass.
 */
function bookAhead(
  ahead: readonly { session: ClassSession; list: User[] }[],
  sessions: readonly ClassSession[],
  bookings: Booking[],
  waitlist: WaitlistEntry[],
  people: DemoPeople,
): void {
  const timeZone = people.gym.timeZone;
  const perWeek = new Map(people.plans.map((p) => [p.id, p.entitlement.kind === "weekly" ? p.entitlement.classesPerWeek : Infinity]));
  const limit = new Map(people.memberships.map((m) => [m.userId, perWeek.get(m.planId ?? "") ?? Infinity]));
  const startOf = new Map(sessions.map((s) => [s.id, s.startsAt]));
  const counted = new Map<string, number>();
  const key = (memberId: string, at: number) => `${memberId}@${isoWeekBounds(at, timeZone).monday}`;
  const add = (memberId: string, at: number) => counted.set(key(memberId, at), (counted.get(key(memberId, at)) ?? 0) + 1);
  const may = (memberId: string, at: number) => (counted.get(key(memberId, at)) ?? 0) < (limit.get(memberId) ?? Infinity);
  for (const b of bookings) add(b.memberId, startOf.get(b.sessionId)!);
  for (const { session: s, list } of [...ahead].sort((a, b) => a.session.startsAt - b.session.startsAt)) {
    let booked = 0;
    let waiting = 0;
    for (const m of list) {
      if (!may(m.id, s.startsAt)) continue;
      if (booked < s.capacity) {
        bookings.push(aBooking(s, m, "booked", s.startsAt - (3 + booked) * 3_600_000));
        add(m.id, s.startsAt);
        booked++;
      } else if (waiting < s.waitlistLimit) {
        const at = s.startsAt - 3_600_000 + waiting * 60_000;
        // Held back from their later bookings that week: the rooms queue the waitlist after every booking.
        add(m.id, s.startsAt);
        waiting++;
        waitlist.push({
          id: demoId(`wait:${s.id}:${m.id}`),
          gymId: s.gymId,
          sessionId: s.id,
          memberId: m.id,
          position: waiting,
          status: "waiting",
          createdAt: at,
          updatedAt: at,
          offerExpiresAt: null,
          reason: null,
        });
      }
    }
  }
}
