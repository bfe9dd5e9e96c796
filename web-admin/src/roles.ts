import type { Role } from "../../domain/model.js";

/** What a staff role may see and do in this app (the server enforces its own rules too). */
export interface Capabilities {
  /** KPI cards with fees and the attendance chart. */
  seeBusiness: boolean;
  /** Fees, plans and credits on profiles; "cancel with fee". */
  seeFees: boolean;
  /** Create class types, sessions and series; edit and cancel sessions. */
  manageSchedule: boolean;
  /** Change capacity, promote, cancel a class. */
  manageClass: boolean;
  /** Check in, undo, no-show, cancel a booking. */
  rosterActions: boolean;
  /** Only sessions this person coaches are listed. */
  onlyOwnClasses: boolean;
  /** Member search and profiles. */
  members: boolean;
  /** The audit trail (owners and admins). */
  audit: boolean;
  /** Create and edit plans, assign them, adjust credits, waive charges (owners and admins). */
  managePlans: boolean;
  /** A member's account: sell packs, record payments (owners, admins, front desk). */
  account: boolean;
  /** Invite staff and members by email, see the invitations and withdraw them (owners and admins). */
  invite: boolean;
  /** How people sign in: passwords, the staff second factor, single sign-on (owners only). */
  signInSettings: boolean;
}

const ALL: Capabilities = {
  seeBusiness: true,
  seeFees: true,
  manageSchedule: true,
  manageClass: true,
  rosterActions: true,
  onlyOwnClasses: false,
  members: true,
  audit: true,
  managePlans: true,
  account: true,
  invite: true,
  signInSettings: true,
};

const BY_ROLE: Record<Role, Capabilities> = {
  owner: ALL,
  admin: { ...ALL, signInSettings: false },
  coach: {
    ...ALL,
    seeBusiness: false,
    seeFees: false,
    manageSchedule: false,
    onlyOwnClasses: true,
    audit: false,
    managePlans: false,
    account: false,
    invite: false,
    signInSettings: false,
  },
  front_desk: {
    ...ALL,
    seeBusiness: false,
    seeFees: false,
    manageSchedule: false,
    manageClass: false,
    audit: false,
    managePlans: false,
    invite: false,
    signInSettings: false,
  },
  member: {
    ...ALL,
    seeBusiness: false,
    seeFees: false,
    manageSchedule: false,
    manageClass: false,
    rosterActions: false,
    members: false,
    audit: false,
    managePlans: false,
    account: false,
    invite: false,
    signInSettings: false,
  },
};

export function capabilities(role: Role): Capabilities {
  return BY_ROLE[role];
}

export const RoleLabels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  coach: "Coach",
  front_desk: "Front desk",
  member: "Member",
};
