/**
 * The demo gym, seeded in one go: its people and plans (demoPeople.ts), its classes and bookings (demoClasses.ts),
 * the history past classes left (demoHistory.ts), a waiver, then training, feed and leads through their own seeders.
 */
import type { EntityManager, MikroORM } from "@mikro-orm/core";
import { GymEntity } from "../db/entities/index.js";
import { bookDemoAhead } from "./demoBookings.js";
import { createDemoStaff, importDemoMembers } from "./demoAccounts.js";
import { importDemoHoldings, publishDemoWaiver, saveDemoPlans, setDemoPolicy } from "./demoAdmin.js";
import { demoId } from "./demoIds.js";
import { demoClasses } from "./demoClasses.js";
import { importDemoHistory } from "./demoHistory.js";
import { demoPeople } from "./demoPeople.js";
import { importDemoClasses, setUpDemoGym } from "./demoSetup.js";
import { mulberry32 } from "./prng.js";
import { seedFeed } from "./seedFeed.js";
import { seedLeads } from "./seedLeads.js";
import { seedTraining } from "./seedTraining.js";
import { demoWaiver } from "./seedWaiver.js";

export { demoId } from "./demoIds.js";
export { DEMO_DESK_EMAIL, DEMO_GYM_ID, DEMO_MEMBER_EMAIL, DEMO_OWNER_EMAIL } from "./demoPeople.js";

export interface DemoSummary {
  gymId: string;
  members: number;
  sessions: number;
  bookings: number;
  waitlisted: number;
  /** Logged workouts (with PRs) and challenge participations. */
  workouts: number;
  challengeParticipants: number;
}

/** Creates the demo gym (2 locations, 4 coaches, a front desk, 200 members, 10 class types, 2 weeks of classes around `now`, a signed waiver). */
export async function seedDemo(orm: MikroORM, now: number): Promise<DemoSummary> {
  const em = orm.em.fork();
  const rand = mulberry32(20261121);
  const people = demoPeople(rand, now);
  const { gym, locations, plans, users, memberships, coaches, members } = people;
  // A waiver in force that most members signed; not enforced, so check-ins and bookings go on as before.
  const waiver = demoWaiver(gym.id, gym.timeZone, demoId("user:owner"), users, memberships, now);
  const { currency: _set, ...settings } = gym.policy;
  const { classTypes, sessions, active, bookings, waitlist } = demoClasses(rand, now, people);

  // The gym as `npm run gym:create` makes it, its owner and staff through their invitations.
  await createDemoStaff(orm, people);
  // Its details and locations through the wizard's own use cases (audited, as its owner).
  await setUpDemoGym(em, gym, locations, demoId("user:owner"), now);
  // Its settings and plans on the Settings and Plans screens, as its owner.
  await setDemoPolicy(em, gym.id, demoId("user:owner"), { ...settings, waiverRequired: "off" }, now);
  await saveDemoPlans(em, demoId("user:owner"), plans, now);
  // The members through the member import, as its owner; who holds which plan (and a pack's credits) through the plans import.
  await importDemoMembers(orm, people, now);
  await importDemoHoldings(orm, people, now);
  // Class types and classes (past ones too) through the history import, as the owner; who booked them stays history.
  await importDemoClasses(em, gym.id, classTypes, sessions, demoId("user:owner"), now);
  // Who came to the classes that already started, through the visit-history import as the owner.
  await importDemoHistory(em, gym.id, sessions, bookings, demoId("user:owner"), now);
  // Upcoming bookings through the bookings import and waitlist places asked for by members, both decided by the class rooms.
  const ahead = new Set(sessions.filter((s) => s.startsAt > now).map((s) => s.id));
  await bookDemoAhead(
    orm,
    {
      gymId: gym.id,
      timeZone: gym.timeZone,
      ownerId: demoId("user:owner"),
      users,
      classTypes,
      sessions,
      bookings: bookings.filter((b) => ahead.has(b.sessionId)),
      waitlist,
    },
    now,
  );
  // The waiver published by the owner half a year ago, signed by members in the member app.
  await publishDemoWaiver(em, waiver);
  const training = await seedTraining(
    orm,
    gym.id,
    coaches[0]!.id,
    active.map((m) => m.id),
    now,
  );
  await seedFeed(
    orm,
    gym.id,
    active.map((m) => m.id),
    now,
  );
  await seedLeads(em, gym.id, gym.timeZone, demoId("user:desk"), demoId("user:owner"), now);
  return {
    gymId: gym.id,
    members: members.length,
    sessions: sessions.length,
    bookings: bookings.length,
    waitlisted: waitlist.length,
    workouts: training.workouts,
    challengeParticipants: training.participants,
  };
}

/** True when the database holds no gym yet. */
export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(GymEntity, {})) === 0;
}
