/**
 * The class aggregate: state, events, and the use cases a class room runs.
 */
export * from "./state.js";
export * from "./events.js";
export { applyClassEvent, applyClassEvents } from "./applyClassEvent.js";
export type { Decision, Outcome } from "./draft.js";
export { classWindows, noShowAllowed } from "./windows.js";
export type { ClassWindows } from "./windows.js";
export { checkInWindowState, type CheckInWindowState } from "../checkin/checkInWindow.js";
export { entitlementError, planError } from "./guards.js";
export type { JudgedClass } from "./guards.js";
export { bookSpot } from "./bookSpot.js";
export type { BookSpot, BookSpotResult } from "./bookSpot.js";
export { cancelBooking } from "./cancelBooking.js";
export type { CancelBooking, CancelBookingResult } from "./cancelBooking.js";
export { claimOffer, expireOffers, leaveWaitlist } from "./waitlist.js";
export type { WaitlistCommand } from "./waitlist.js";
export { cancelClass, changeCapacity, promoteFromWaitlist } from "./staff.js";
export type { CancelClass, ChangeCapacity, PromoteFromWaitlist } from "./staff.js";
export { checkInToClass, undoCheckIn } from "./checkIn.js";
export type { CheckInResult, CheckInToClass, UndoCheckIn } from "./checkIn.js";
export { closeClass, markNoShow, markNoShows, undoNoShow } from "./noShow.js";
export type { MarkNoShow } from "./noShow.js";
export { updateSession } from "./updateSession.js";
export type { UpdateSession } from "./updateSession.js";
export { logResult, setWorkout } from "./workout.js";
export type { LogResult, SetWorkout } from "./workout.js";
