/**
 * Who may do what, by role: every permission check names one of these lists (no role literals elsewhere).
 */
import { StaffRoles, type Role } from "./model.js";

export { StaffRoles };

/** Owners only: the gym's own details (the set-up wizard). */
export const OwnerRoles = ["owner"] as const satisfies readonly Role[];

/** Owners and admins: the audit log, privacy decisions, self check-in, moderation, access changes — and fees. */
export const AdminRoles = ["owner", "admin"] as const satisfies readonly Role[];

/** Staff who run classes and their content (workouts, challenges): everyone but the front desk. */
export const CoachRoles = ["owner", "admin", "coach"] as const satisfies readonly Role[];

/** Whether `role` works at the gym. */
export const isStaffRole = (role: string): boolean => (StaffRoles as readonly string[]).includes(role);

/** Whether `role` sees members' fees, plans and credits. */
export const seesMoney = (role: string): boolean => (AdminRoles as readonly string[]).includes(role);

/** Staff who may export members and attendance as CSV: everyone but coaches. */
export const ExportRoles = ["owner", "admin", "front_desk"] as const satisfies readonly Role[];

/** Staff at the desk: members, packs and payments — everyone but coaches. */
export const DeskRoles = ["owner", "admin", "front_desk"] as const satisfies readonly Role[];

/** Staff who work the sales pipeline (leads, trials): everyone but coaches. */
export const SalesRoles = ["owner", "admin", "front_desk"] as const satisfies readonly Role[];

/**
 * Overrides with a reason (docs/domain.md "Walk-ins and overrides"), by role: checking someone in despite a rule is the
 * desk's (`OverrideRoles` in `domain/checkin/override.ts`); undoing a no-show is any staff's, but one that carries a fee
 * gives money back, so — like waiving a charge — it is for these roles only.
 */
export const FeeOverrideRoles = AdminRoles;

/** Whether `role` may waive or reverse a fee. */
export const mayOverrideFees = (role: string): boolean => (FeeOverrideRoles as readonly string[]).includes(role);
