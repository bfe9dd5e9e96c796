/** Invitations for the members a CSV import added (the import's "invite them" box). */
import type { Invitations } from "../signin/invitations.js";

/** Invitations one import sends at most; the rest are invited from their profiles. */
export const MAX_IMPORT_INVITATIONS = 200;

/** The gym's and the inviter's names, for the invitation mail. */
export type InvitationNames = (gymId: string, invitedBy: string) => Promise<{ gymName: string | null; inviterName: string | null }>;

/** Invites each address to the gym, one after another; answers how many went out. */
export function inviteImported(names: InvitationNames, invitations: Pick<Invitations, "invite">) {
  return async (gymId: string, invitedBy: string, emails: readonly string[]): Promise<number> => {
    const { gymName, inviterName } = await names(gymId, invitedBy);
    let sent = 0;
    for (const email of emails) {
      await invitations.invite({ gymId, gymName: gymName ?? "your gym", email, role: "member", invitedBy, inviterName });
      sent += 1;
    }
    return sent;
  };
}
