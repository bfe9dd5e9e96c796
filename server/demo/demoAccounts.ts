/**
 * The demo gym's people, the way a real gym gets them: `npm run gym:create`'s own code makes the gym and invites its
 * first owner, who accepts (signing in); the owner invites the front desk and the coaches, who accept; the owner
 * imports the members from a CSV export (`gym:importMembers`), then writes the few notes on their profiles
 * (`gym:updateMember`); members who hide their name from rosters say so themselves (`user:setVisibility`). Each step
 * at the time it happened (the person's join date), with the demo's own ids. The invitation mails are not sent: each
 * was accepted at once, long ago.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/core";
import { importMembers } from "../../app/admin/memberImport.js";
import { updateMember } from "../../app/admin/members.js";
import type { AdminActor } from "../../app/admin/ports.js";
import { setVisibility } from "../../app/me/meRequests.js";
import type { MePorts } from "../../app/me/ports.js";
import { Invitations } from "../../app/signin/invitations.js";
import { Sessions } from "../../app/signin/sessions.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import { accessTokenSigner, nodeSecrets } from "../auth.js";
import { PgAuthLog } from "../persistence/authLog.js";
import { PgInvitationStore } from "../persistence/invitationStore.js";
import { meStore } from "../persistence/meStore.js";
import { memberImportStore } from "../persistence/memberImportStore.js";
import { PgSessionStore } from "../persistence/sessionStore.js";
import { createGym } from "../signin/createGym.js";
import { accepted, seedingAdminPorts } from "./demoPorts.js";
import { demoId } from "./demoIds.js";
import type { DemoPeople } from "./demoPeople.js";

const SEED_DEVICE = { ip: "", userAgent: "Spotter demo seed" };

/** The sign-in side while seeding: ids are the demo's own (queued before each step), the clock is the step's time. */
function seedingSignIn(orm: MikroORM) {
  const ids: string[] = [];
  let clock = 0;
  const now = () => clock;
  // A secret of this run only: the tokens the acceptances hand out are never used.
  const secret = randomBytes(32).toString("base64url");
  const secrets = { ...nodeSecrets(secret), id: () => ids.shift() ?? randomUUID() };
  const log = new PgAuthLog(orm);
  const sessions = new Sessions({
    store: new PgSessionStore(orm),
    secrets,
    signer: accessTokenSigner(secret),
    log,
    now,
    ended: { announce: async () => undefined },
  });
  const invitations = new Invitations({
    store: new PgInvitationStore(orm, () => ids.shift() ?? randomUUID()),
    secrets,
    mail: { enqueue: async () => undefined },
    log,
    sessions,
    linkFor: (_role, s) => s,
    now,
  });
  return {
    invitations,
    /** Runs `step` at `at`, handing out `next` as ids in order. */
    at: <T>(at: number, next: string[], step: () => Promise<T>) => {
      clock = at;
      ids.splice(0, ids.length, ...next);
      return step();
    },
  };
}

/**
 * The gym row and its staff: the gym as `npm run gym:create` makes it, its owner accepting the setup link, then the
 * front desk and coaches invited by the owner and accepting. Ids: `user:<key>`, `membership:<key>`.
 */
export async function createDemoStaff(orm: MikroORM, people: DemoPeople): Promise<void> {
  const { gym, users, memberships } = people;
  const signIn = seedingSignIn(orm);
  const owner = users[0]!;
  // The owner made the gym when its first staff member joined, and invited each of the others on their joining day.
  const staff = memberships.flatMap((m, i) => (m.role === "member" ? [] : [{ m, i }]));
  const founded = Math.min(...staff.map(({ m }) => m.joinedAt));
  for (const { m, i } of staff) {
    const user = users[i]!;
    const at = i === 0 ? founded : m.joinedAt;
    const key = user.id === owner.id ? "owner" : user.email.slice(0, user.email.indexOf("@"));
    const invited = await signIn.at(at, [demoId(`invitation:${key}`)], () =>
      i === 0
        ? createGym(orm, signIn.invitations, { id: gym.id, name: "New gym", timeZone: gym.timeZone, ownerEmail: user.email })
        : signIn.invitations.invite({
            gymId: gym.id,
            gymName: gym.name,
            email: user.email,
            role: m.role as "front_desk" | "coach",
            invitedBy: owner.id,
            inviterName: owner.name,
          }),
    );
    const joined = await signIn.at(at, [user.id, m.id, demoId(`signin:${key}`)], () =>
      signIn.invitations.accept(invited.link, user.name, SEED_DEVICE),
    );
    if (!joined.ok) throw new Error(`demo ${key} joining refused: ${joined.message}`);
  }
}

/**
 * The staff's phones (their profiles, by the owner), the members through the member import as the owner, the notes on
 * their profiles, and who hides their name from rosters (each themself).
 */
export async function importDemoMembers(orm: MikroORM, people: DemoPeople, now: number): Promise<void> {
  const { gym, users, memberships } = people;
  const ownerId = users[0]!.id;
  const owner: AdminActor = { userId: ownerId, role: "owner", gymId: gym.id, commandId: null, now };
  const em = orm.em.fork();
  const staff = memberships.flatMap((m, i) => (m.role !== "member" && m.userId !== ownerId ? [users[i]!] : []));
  for (const s of staff)
    await accepted(`${s.name}'s phone`, updateMember(seedingAdminPorts(em, []), owner, { memberId: s.id, phone: s.phone ?? undefined }));

  const members = memberships.flatMap((m, i) => (m.role === "member" ? [{ m, u: users[i]! }] : []));
  const ids = members.flatMap(({ m }) => [m.userId, m.id]);
  const file = [
    ["Name", "Email", "Phone", "Status", "Joined"],
    ...members.map(({ m, u }) => [u.name, u.email, u.phone ?? "", m.status, localDate(m.joinedAt, gym.timeZone)]),
  ];
  const report = await accepted(
    "members",
    importMembers({ store: memberImportStore(orm), notes: { gymChanged: () => undefined }, newId: () => ids.shift() ?? "" }, owner, {
      rows: file,
      commit: true,
    }),
  );
  if (report.counts.add !== members.length) throw new Error(`demo members: ${report.counts.add} of ${members.length} imported`);
  for (const { m } of members.filter(({ m }) => m.notes !== ""))
    await accepted("notes", updateMember(seedingAdminPorts(em, []), owner, { memberId: m.userId, notes: m.notes }));

  const me: MePorts = {
    store: meStore(orm),
    standing: async () => null,
    codes: {
      issue: async () => {
        throw new Error("the demo issues no check-in codes");
      },
    },
    now: () => now,
    publicUrl: () => "",
    userChanged: () => undefined,
  };
  for (const u of users.filter((u) => !u.visible))
    await setVisibility(me, { userId: u.id, payload: { visible: false }, commandId: null, sessionId: null });
}
