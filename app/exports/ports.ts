/** What the exports read (`server/persistence/exportStore.ts` implements it over PostgreSQL). */

/** One member as the staff's members export lists them. */
export interface MemberExportRow {
  name: string;
  email: string;
  phone: string | null;
  role: string;
  status: string;
  plan: string | null;
  credits: number | null;
  joinedAt: number;
}

/** One past booking as the staff's attendance export lists it. */
export interface AttendanceExportRow {
  startsAt: number;
  className: string;
  name: string;
  email: string;
  status: string;
}

/** One booked class on a member's private calendar feed. */
export interface CalendarEntry {
  bookingId: string;
  startsAt: number;
  endsAt: number;
  className: string;
  /** The location and the gym, as known. */
  where: string;
  cancelled: boolean;
}

export interface ExportStore {
  members(gymId: string): Promise<MemberExportRow[]>;
  /** Bookings of classes that started before `before`, newest first (at most 100,000). */
  attendance(gymId: string, before: number): Promise<AttendanceExportRow[]>;
  /** The member's own data as JSON, in pieces (null: no such account). */
  userData(userId: string, now: number): Promise<AsyncIterable<string> | null>;
  /** The booked classes of the calendar feed `token` since `since` (null: no such feed, or revoked). */
  calendar(token: string, since: number): Promise<CalendarEntry[] | null>;
}
