/**
 * The dispatch table of every request answered outside the room actors: message type → who may ask (room kind and
 * roles), whether staff use of it is audited, its rate-limit class, and the use case it calls (`app/`). The payload
 * schema is `RequestSchemas[type]` (`domain/protocol/requests.ts`). The socket layer only parses, looks up, checks
 * the role and calls (`requestDispatch.ts`); the authorization matrix and docs/protocol.md are checked against it.
 *
 * Adding a request: its zod schema in `domain/protocol/` (spread into `RequestSchemas`), its use case in
 * `app/<area>/` with the ports it needs (`app/<area>/ports.ts`; adapters in `server/persistence/`), one line here,
 * a row in the authorization matrix test and a line in docs/protocol.md.
 */
import { recordPayment, refundPaidCharge } from "../../app/admin/account.js";
import { addMember, freezeMember, unfreezeMember, updateMember } from "../../app/admin/members.js";
import { reactivateMember, tagMember } from "../../app/admin/memberStanding.js";
import { adjustCredits, assignPlan, listPlans, savePlan, sellPack } from "../../app/admin/plans.js";
import { actorOf, readMemberAccount, readWaiverStatus, waiveChargeAndTell, type AdminRequestPorts } from "../../app/admin/requests.js";
import { myWaiver, publishWaiver, signWaiver } from "../../app/admin/waivers.js";
import { checkInWalkIn } from "../../app/admin/walkIns.js";
import { rosterWalkIn } from "../../app/admin/rosterWalkIns.js";
import { deskCard } from "../../app/admin/deskCard.js";
import { remindWaiver } from "../../app/admin/waiverReminders.js";
import { previewPolicy, setPolicy } from "../../app/admin/settings.js";
import type { SetupPorts } from "../../app/setup/ports.js";
import { changeSeries, previewSeriesChange } from "../../app/setup/series.js";
import { finishSetup, readSetup, saveClassType, saveLocation, saveRoom, saveSetup } from "../../app/setup/setup.js";
import * as feed from "../../app/feed/feedRequests.js";
import type { FeedPorts } from "../../app/feed/ports.js";
import * as access from "../../app/access/accessRequests.js";
import type { AccessPorts } from "../../app/access/ports.js";
import * as checkIn from "../../app/checkin/checkInRequests.js";
import type { CheckInPorts } from "../../app/checkin/ports.js";
import * as desk from "../../app/desk/deskRequests.js";
import { deskSnapshot, type DeskSnapshotPorts } from "../../app/desk/deskSnapshot.js";
import type { DeskPorts } from "../../app/desk/ports.js";
import * as me from "../../app/me/meRequests.js";
import type { MePorts } from "../../app/me/ports.js";
import type { PrivacyPorts } from "../../app/privacy/ports.js";
import * as privacy from "../../app/privacy/privacyRequests.js";
import * as leads from "../../app/leads/leadRequests.js";
import type { LeadRequestPorts } from "../../app/leads/ports.js";
import * as reports from "../../app/reports/reportRequests.js";
import type { ReportPorts } from "../../app/reports/reportRequests.js";
import type { InboxRequestPorts } from "../../app/notices/inboxPorts.js";
import * as inbox from "../../app/notices/inboxRequests.js";
import type { GymRequest, UserRequest } from "../../app/requestContext.js";
import type { SegmentRequestPorts } from "../../app/segments/ports.js";
import * as segments from "../../app/segments/segmentRequests.js";
import type { SignInRequestPorts } from "../../app/signin/requestPorts.js";
import * as signIn from "../../app/signin/signInRequests.js";
import { deactivateStaff, listStaff } from "../../app/signin/staffAccess.js";
import type { TrainingPorts } from "../../app/training/ports.js";
import * as training from "../../app/training/trainingRequests.js";
import type { Role } from "../../domain/model.js";
import type { RequestPayload, RequestType } from "../../domain/protocol/requests.js";
import { AdminRoles, CoachRoles, DeskRoles, OwnerRoles, SalesRoles } from "../../domain/roles.js";

/** Who may ask on `gym:<id>`: every member and staff of the gym, its staff, or staff in these roles. */
export type GymRoles = "members" | "staff" | readonly Role[];

/**
 * The rate-limit class, one scheme for room commands and requests. `command`: the per-socket and per-user command
 * budget every frame spends before it is looked up (`socketProtocol.ts`); a request with its own caps (workouts,
 * comments) enforces them in its use case, a room command in its room (a class's capacity, a waitlist's limit).
 */
export type RateClass = "command";

/** Every port the use cases behind the table need, built once per node (`server/requestsRuntime.ts`). */
export interface RequestPorts {
  feed: FeedPorts;
  training: TrainingPorts;
  admin: AdminRequestPorts;
  me: MePorts;
  desk: DeskPorts;
  snapshot: DeskSnapshotPorts;
  privacy: PrivacyPorts;
  checkIn: CheckInPorts;
  access: AccessPorts;
  leads: LeadRequestPorts;
  segments: SegmentRequestPorts;
  reports: ReportPorts;
  inbox: InboxRequestPorts;
  setup: SetupPorts;
  /** Absent when the node has no signing secret: the sign-in requests are then unknown types, as before. */
  signIn: SignInRequestPorts | undefined;
}

interface GymEntry<P> {
  type: RequestType;
  /** Answered by a use case (room commands: `road: "room"`, `roomCommandTable.ts`). */
  road: "useCase";
  room: "gym";
  roles: GymRoles;
  /** Staff use leaves an audit row (a staff write, or a staff read of several people's personal data or a profile). */
  audited: boolean;
  rate: RateClass;
  /** Only on nodes with sign-in (a signing secret); elsewhere the type is unknown. */
  needsSignIn?: true;
  run(d: RequestPorts, c: GymRequest<P>): Promise<unknown>;
}
interface UserEntry<P> {
  type: RequestType;
  road: "useCase";
  room: "user";
  roles: "self";
  audited: false;
  rate: RateClass;
  needsSignIn?: true;
  /** A null result is `{ ok: true, result: null }` here (a gym request's null is NOT_FOUND). */
  run(d: RequestPorts, c: UserRequest<P>): Promise<unknown>;
  /** The fields of the VALIDATION_FAILED answer, when the schema's own words would not help. */
  invalidFields?: Record<string, string>;
}
export type RequestEntry<P = never> = GymEntry<P> | UserEntry<P>;

type Options = { needsSignIn?: true; invalidFields?: Record<string, string> };

/** A request on `gym:<id>`: who may ask, whether staff use is audited, the use case. */
function gym<K extends RequestType>(
  type: K,
  roles: GymRoles,
  audit: "audited" | "unaudited",
  run: (d: RequestPorts, c: GymRequest<RequestPayload<K>>) => Promise<unknown>,
  o: Pick<Options, "needsSignIn"> = {},
): GymEntry<RequestPayload<K>> & { type: K } {
  return { type, road: "useCase", room: "gym", roles, audited: audit === "audited", rate: "command", run, ...o };
}

/** A request on the caller's own `user:<me>` room. */
function mine<K extends RequestType>(
  type: K,
  run: (d: RequestPorts, c: UserRequest<RequestPayload<K>>) => Promise<unknown>,
  o: Options = {},
): UserEntry<RequestPayload<K>> & { type: K } {
  return { type, road: "useCase", room: "user", roles: "self", audited: false, rate: "command", run, ...o };
}

/** Sign-in entries are answered only on nodes with sign-in (`d.signIn` is then set). */
const signInOnly = { needsSignIn: true } as const;
const si = (d: RequestPorts): SignInRequestPorts => d.signIn!;

/** Every request, in the order of docs/protocol.md's sections. */
export const RequestEntries = [
  // ── The feed (app/feed) ──
  gym("feed:watch", "members", "unaudited", (d, c) => feed.watchFeed(d.feed, c)),
  gym("feed:unwatch", "members", "unaudited", (d, c) => feed.unwatchFeed(d.feed, c)),
  gym("feed:page", "members", "unaudited", (d, c) => feed.feedPage(d.feed, c)),
  gym("feed:react", "members", "unaudited", (d, c) => feed.react(d.feed, c)),
  gym("feed:comment", "members", "unaudited", (d, c) => feed.comment(d.feed, c)),
  gym("feed:comments", "members", "unaudited", (d, c) => feed.comments(d.feed, c)),
  gym("feed:report", "members", "unaudited", (d, c) => feed.report(d.feed, c)),
  gym("feed:follow", "members", "unaudited", (d, c) => feed.follow(d.feed, c)),
  gym("feed:block", "members", "unaudited", (d, c) => feed.block(d.feed, c)),
  gym("gym:moderationItems", "staff", "audited", (d, c) => feed.moderationItems(d.feed, c)),
  gym("gym:resolveModerationItem", AdminRoles, "audited", (d, c) => feed.resolveModerationItem(d.feed, c)),
  mine("feed:setDefaultVisibility", (d, c) => feed.setDefaultVisibility(d.feed, c), {
    invalidFields: { visibility: "One of public, followers, gym, private" },
  }),

  // ── Workouts, challenges, gym leaderboards (app/training) ──
  mine("user:logWorkout", (d, c) => training.logWorkout(d.training, c)),
  gym("gym:leaderboard", "members", "unaudited", (d, c) => training.leaderboard(d.training, c)),
  gym("gym:challenges", "members", "unaudited", (d, c) => training.challenges(d.training, c)),
  gym("gym:createChallenge", CoachRoles, "audited", (d, c) => training.createChallenge(d.training, c)),
  gym("gym:joinChallenge", "members", "unaudited", (d, c) => training.joinChallenge(d.training, c)),
  gym("gym:leaveChallenge", "members", "unaudited", (d, c) => training.leaveChallenge(d.training, c)),
  gym("gym:reviewSubmission", CoachRoles, "audited", (d, c) => training.reviewSubmission(d.training, c)),

  // ── Plans, packs, credits, money owed and members (app/admin) ──
  gym("gym:plans", "staff", "unaudited", (d, c) => listPlans(d.admin, c.gymId)),
  gym("gym:savePlan", AdminRoles, "audited", (d, c) => savePlan(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:assignPlan", AdminRoles, "audited", (d, c) => assignPlan(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:sellPack", DeskRoles, "audited", (d, c) => sellPack(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:adjustCredits", AdminRoles, "audited", (d, c) => adjustCredits(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:memberAccount", DeskRoles, "audited", (d, c) => readMemberAccount(d.admin, c)),
  gym("gym:recordPayment", DeskRoles, "audited", (d, c) => recordPayment(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:waiveCharge", AdminRoles, "audited", (d, c) => waiveChargeAndTell(d.admin, c)),
  gym("gym:refundCharge", AdminRoles, "audited", (d, c) => refundPaidCharge(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:setPolicy", AdminRoles, "audited", (d, c) => setPolicy(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:previewPolicy", AdminRoles, "unaudited", (d, c) => previewPolicy(d.admin, c.gymId, d.admin.now(), c.payload)),
  gym("gym:addMember", DeskRoles, "audited", (d, c) => addMember(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:updateMember", DeskRoles, "audited", (d, c) => updateMember(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:freezeMember", DeskRoles, "audited", (d, c) => freezeMember(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:unfreezeMember", DeskRoles, "audited", (d, c) => unfreezeMember(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:tagMember", DeskRoles, "audited", (d, c) => tagMember(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:reactivateMember", AdminRoles, "audited", (d, c) => reactivateMember(d.admin, actorOf(d.admin, c), c.payload)),

  // ── Waivers and walk-ins (app/admin) ──
  gym("gym:publishWaiver", AdminRoles, "audited", (d, c) => publishWaiver(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:waiver", "members", "unaudited", (d, c) => myWaiver(d.admin, c.gymId, c.userId, d.admin.now())),
  gym("gym:signWaiver", "members", "audited", (d, c) => signWaiver(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:waiverStatus", "staff", "audited", (d, c) => readWaiverStatus(d.admin, c)),
  gym("gym:walkIn", DeskRoles, "audited", (d, c) => checkInWalkIn(d.admin, actorOf(d.admin, c), c.payload)),
  gym("gym:remindWaiver", "staff", "audited", (d, c) => remindWaiver(d.admin, c)),
  gym("gym:deskCard", DeskRoles, "audited", (d, c) => deskCard(d.admin, c)),
  gym("gym:rosterWalkIn", "staff", "audited", (d, c) => rosterWalkIn(d.admin, actorOf(d.admin, c), c.payload)),

  // ── Setting the gym up: the wizard, locations and rooms, class types, series edits (app/setup) ──
  gym("gym:setup", AdminRoles, "unaudited", (d, c) => readSetup(d.setup, c.gymId)),
  gym("gym:saveSetup", OwnerRoles, "audited", (d, c) => saveSetup(d.setup, actorOf(d.admin, c), c.payload)),
  gym("gym:finishSetup", OwnerRoles, "audited", (d, c) => finishSetup(d.setup, actorOf(d.admin, c))),
  gym("gym:saveLocation", AdminRoles, "audited", (d, c) => saveLocation(d.setup, actorOf(d.admin, c), c.payload)),
  gym("gym:saveRoom", AdminRoles, "audited", (d, c) => saveRoom(d.setup, actorOf(d.admin, c), c.payload)),
  gym("gym:saveClassType", AdminRoles, "audited", (d, c) => saveClassType(d.setup, actorOf(d.admin, c), c.payload)),
  gym("gym:previewSeriesChange", AdminRoles, "unaudited", (d, c) => previewSeriesChange(d.setup, c.gymId, c.payload)),
  gym("gym:changeSeries", AdminRoles, "audited", (d, c) => changeSeries(d.setup, actorOf(d.admin, c), c.payload)),

  // ── Who am I, my account, my codes and links (app/me) ──
  gym("gym:me", "members", "unaudited", (d, c) => me.gymMe(d.me, c)),
  mine("user:me", (d, c) => me.userMe(d.me, c)),
  mine("user:checkInCode", (d, c) => me.checkInCode(d.me, c)),
  mine("user:icalLink", (d, c) => me.icalLink(d.me, c)),
  mine("user:revokeIcal", (d, c) => me.revokeIcal(d.me, c)),
  mine("user:setVisibility", (d, c) => me.setVisibility(d.me, c)),

  // ── Staff reads of the desk and the office (app/desk) ──
  gym("gym:searchMembers", "staff", "audited", (d, c) => desk.searchMembers(d.desk, c)),
  gym("gym:memberProfile", "staff", "audited", (d, c) => desk.memberProfile(d.desk, c)),
  gym("gym:attendanceSeries", "staff", "unaudited", (d, c) => desk.attendanceSeries(d.desk, c)),
  gym("gym:auditLog", AdminRoles, "unaudited", (d, c) => desk.auditLog(d.desk, c)),

  // ── Privacy (app/privacy) ──
  mine("user:exportData", (d, c) => privacy.exportData(d.privacy, c)),
  mine("user:requestDeletion", (d, c) => privacy.requestDeletion(d.privacy, c)),
  mine("user:consent", (d, c) => privacy.consent(d.privacy, c)),
  gym("gym:approveDeletion", AdminRoles, "audited", (d, c) => privacy.approveDeletion(d.privacy, c)),
  gym("gym:setLegalHold", AdminRoles, "audited", (d, c) => privacy.setLegalHold(d.privacy, c)),

  // ── Member self check-in (app/checkin) ──
  gym("gym:presenceCode", "staff", "unaudited", (d, c) => checkIn.presenceCode(d.checkIn, c)),
  gym("gym:deskSnapshot", "staff", "audited", (d, c) => deskSnapshot(d.snapshot, c)),
  gym("gym:setSelfCheckIn", AdminRoles, "audited", (d, c) => checkIn.setSelfCheckIn(d.checkIn, c)),

  // ── Taking access away (app/access) ──
  gym("gym:setMembership", AdminRoles, "audited", (d, c) => access.setMembership(d.access, c)),
  mine("user:signOutEverywhere", (d, c) => access.signOutEverywhere(d.access, c)),

  // ── Sign-in: sessions, invitations, outgoing mail (app/signin) ──
  mine("user:sessions", (d, c) => signIn.mySessions(si(d), c), signInOnly),
  mine("user:endSession", (d, c) => signIn.endSession(si(d), c), signInOnly),
  gym("gym:endStaffSessions", AdminRoles, "audited", (d, c) => signIn.endStaffSessions(si(d), c), signInOnly),
  gym("gym:staff", AdminRoles, "audited", (d, c) => listStaff(si(d), c), signInOnly),
  gym(
    "gym:deactivateStaff",
    AdminRoles,
    "audited",
    (d, c) => deactivateStaff({ ...si(d), userChanged: d.access.userChanged }, c),
    signInOnly,
  ),
  gym("gym:invite", AdminRoles, "audited", (d, c) => signIn.invite(si(d), c), signInOnly),
  gym("gym:invitations", AdminRoles, "audited", (d, c) => signIn.invitations(si(d), c), signInOnly),
  gym("gym:revokeInvitation", AdminRoles, "audited", (d, c) => signIn.revokeInvitation(si(d), c), signInOnly),
  gym("gym:mailOutbox", AdminRoles, "audited", (d, c) => signIn.mailOutbox(si(d), c), signInOnly),

  // ── The sales pipeline: leads and the trial form (app/leads) ──
  gym("gym:leads", SalesRoles, "audited", (d, c) => leads.leads(d.leads, c)),
  gym("gym:lead", SalesRoles, "audited", (d, c) => leads.lead(d.leads, c)),
  gym("gym:saveLead", SalesRoles, "audited", (d, c) => leads.saveLead(d.leads, c)),
  gym("gym:moveLead", SalesRoles, "audited", (d, c) => leads.moveLead(d.leads, c)),
  gym("gym:touchLead", SalesRoles, "audited", (d, c) => leads.touchLead(d.leads, c)),
  gym("gym:setTrialForm", AdminRoles, "audited", (d, c) => leads.setTrialForm(d.leads, c)),
  gym("gym:convertLead", SalesRoles, "audited", (d, c) => leads.convertLead(d.leads, c)),
  gym("gym:tourSlots", SalesRoles, "audited", (d, c) => leads.tourSlots(d.leads, c)),
  gym("gym:saveTourSlot", SalesRoles, "audited", (d, c) => leads.saveTourSlot(d.leads, c)),

  // ── Segments and bulk actions (app/segments) ──
  gym("gym:segments", DeskRoles, "unaudited", (d, c) => segments.segments(d.segments, c)),
  gym("gym:saveSegment", DeskRoles, "audited", (d, c) => segments.saveSegment(d.segments, c)),
  gym("gym:deleteSegment", DeskRoles, "audited", (d, c) => segments.deleteSegment(d.segments, c)),
  gym("gym:previewSegment", DeskRoles, "audited", (d, c) => segments.previewSegment(d.segments, c)),
  gym("gym:segmentAction", DeskRoles, "audited", (d, c) => segments.segmentAction(d.segments, c)),
  gym("gym:segmentMessage", DeskRoles, "audited", (d, c) => segments.segmentMessage(d.segments, c)),
  gym("gym:segmentFreeze", DeskRoles, "audited", (d, c) => segments.segmentFreeze(d.segments, c)),
  gym("gym:exportSegment", DeskRoles, "audited", (d, c) => segments.exportSegment(d.segments, c)),

  // ── The owner's reports (app/reports) ──
  gym("gym:ownerReport", AdminRoles, "audited", (d, c) => reports.ownerReport(d.reports, c)),
  gym("gym:ownerReportCsv", AdminRoles, "audited", (d, c) => reports.ownerReportCsv(d.reports, c)),

  // ── Notifications: this device's push, my preferences, the gym's deliveries (app/notices) ──
  mine("push:key", (d, c) => inbox.pushKey(d.inbox, c)),
  mine("push:subscribe", (d, c) => inbox.pushSubscribe(d.inbox, c)),
  mine("push:unsubscribe", (d, c) => inbox.pushUnsubscribe(d.inbox, c)),
  mine("inbox:preferences", (d, c) => inbox.preferences(d.inbox, c)),
  mine("inbox:setPreference", (d, c) => inbox.setPreference(d.inbox, c)),
  mine("inbox:setQuietHours", (d, c) => inbox.setQuietHours(d.inbox, c)),
  gym("gym:noticeDeliveries", AdminRoles, "audited", (d, c) => inbox.noticeDeliveries(d.inbox, c)),
] as const;

type Listed = (typeof RequestEntries)[number]["type"];
/** Fails to compile while a request schema has no entry (`[never]` when every type is listed). */
const everyTypeListed: [Exclude<RequestType, Listed>] extends [never] ? true : never = true;
void everyTypeListed;

/** The table: message type → its entry. */
export const RequestTable = Object.fromEntries(RequestEntries.map((e) => [e.type, e])) as unknown as Readonly<
  Record<RequestType, RequestEntry<unknown>>
>;
