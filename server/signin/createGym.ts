/**
 * A new gym and the invitation of its first owner — what `npm run gym:create` does, and how the demo seed starts
 * (server/demo/demoAccounts.ts): the bare gym row (a name, a zone, the default policy, the set-up wizard ahead), then
 * an invitation as owner that nobody sent (`invitedBy: null`), whose link the owner opens to sign in and set up.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { Invitations } from "../../app/signin/invitations.js";
import { DefaultGymPolicy } from "../../domain/policy.js";

export interface NewGym {
  id: string;
  name: string;
  timeZone: string;
  ownerEmail: string;
}

/** Creates the gym and invites its first owner; answers the invitation (its link works once, for 7 days). */
export async function createGym(orm: MikroORM, invitations: Invitations, gym: NewGym): Promise<{ link: string; expiresAt: number }> {
  await orm.em
    .fork()
    .getConnection()
    .execute(`insert into gym (id, name, time_zone, policy, member_self_check_in, needs_setup) values (?, ?, ?, ?::jsonb, false, true)`, [
      gym.id,
      gym.name,
      gym.timeZone,
      JSON.stringify(DefaultGymPolicy),
    ]);
  return invitations.invite({ gymId: gym.id, gymName: gym.name, email: gym.ownerEmail, role: "owner", invitedBy: null, inviterName: null });
}
