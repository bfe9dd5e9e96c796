/**
 * Every screen of both apps, in one list: the every-screen browser test visits each at phone,
 * tablet and desktop size, and `npm run screenshots` saves each at phone and desktop size.
 * A new screen adds one line here (its path, who signs in, and what shows once it is ready).
 */

/** Ids the routes need, made by the test's set-up (a class running today, a member with bookings). */
export interface RouteIds {
  /** A session starting within the hour (check-in open, roster with bookings). */
  session: string;
  /** A member with bookings and a waitlist place. */
  member: string;
}

/**
 * Who opens the screen. `secondFactorLink`: a fresh sign-in link of a coach whose gym requires a second factor;
 * `invitationLink`: a fresh invitation of a new member to the demo gym (the route's path is then unused).
 */
export type Signer = "owner" | "coach" | "desk" | "member" | "none" | "secondFactorLink" | "invitationLink";

export interface ScreenRoute {
  /** File-name stem of its screenshots (`admin-today` → `admin-today-phone.png`). */
  name: string;
  app: "admin" | "member";
  /** Path under the app's base (`/admin` or `/`). */
  path: (ids: RouteIds) => string;
  as: Signer;
  /** A CSS selector (Playwright, piercing shadow roots) that is visible once the screen has its data. */
  ready: string;
}

export const SCREEN_ROUTES: readonly ScreenRoute[] = [
  { name: "admin-sign-in", app: "admin", path: () => "/", as: "none", ready: "email-sign-in h1" },
  { name: "admin-today", app: "admin", path: () => "/", as: "owner", ready: "today-screen tr[data-session]" },
  { name: "admin-coach-today", app: "admin", path: () => "/", as: "coach", ready: "today-screen h2#classes-h" },
  { name: "admin-class", app: "admin", path: (ids) => `/class/${ids.session}`, as: "owner", ready: "class-roster tr[data-member]" },
  { name: "admin-coach-class", app: "admin", path: (ids) => `/class/${ids.session}`, as: "coach", ready: "class-roster tr[data-member]" },
  { name: "admin-schedule", app: "admin", path: () => "/schedule", as: "owner", ready: "schedule-screen h1" },
  { name: "admin-members", app: "admin", path: () => "/members", as: "owner", ready: "members-screen h1" },
  { name: "admin-member-profile", app: "admin", path: (ids) => `/members/${ids.member}`, as: "owner", ready: "member-profile h2" },
  { name: "admin-member-account", app: "admin", path: (ids) => `/members/${ids.member}`, as: "desk", ready: "member-account h3" },
  { name: "admin-import", app: "admin", path: () => "/import", as: "owner", ready: "import-screen h1" },
  { name: "admin-leaderboards", app: "admin", path: () => "/leaderboards", as: "owner", ready: "leaderboards-screen h2#board-h" },
  { name: "admin-reports", app: "admin", path: () => "/reports", as: "owner", ready: "reports-screen h2#reports-h" },
  { name: "admin-leads", app: "admin", path: () => "/leads", as: "owner", ready: "leads-screen section.column" },
  { name: "admin-insights", app: "admin", path: () => "/insights", as: "owner", ready: "insights-screen h2#risk-h" },
  { name: "admin-segments", app: "admin", path: () => "/segments", as: "owner", ready: "segments-screen h2#filter-h" },
  { name: "admin-audit", app: "admin", path: () => "/audit", as: "owner", ready: "audit-screen li[data-seq]" },
  { name: "admin-plans", app: "admin", path: () => "/plans", as: "owner", ready: "plans-screen h1" },
  { name: "admin-settings", app: "admin", path: () => "/settings", as: "owner", ready: "settings-screen h1" },
  { name: "admin-staff", app: "admin", path: () => "/staff", as: "owner", ready: "staff-screen h2#invitations-h" },
  { name: "admin-signin-settings", app: "admin", path: () => "/signin", as: "owner", ready: "signin-settings-screen h2#sso-h" },
  { name: "admin-account", app: "admin", path: () => "/account", as: "coach", ready: "totp-setting button" },
  { name: "admin-waivers", app: "admin", path: () => "/waivers", as: "owner", ready: "waivers-screen [data-testid=enforcement]" },
  { name: "admin-desk", app: "admin", path: () => "/desk", as: "desk", ready: "desk-screen h1" },
  { name: "admin-board", app: "admin", path: (ids) => `/board/${ids.session}`, as: "coach", ready: "board-screen h1" },
  { name: "admin-dev-mail", app: "admin", path: () => "/dev-mail", as: "none", ready: "dev-mailbox h1" },
  { name: "admin-second-factor", app: "admin", path: () => "/", as: "secondFactorLink", ready: "second-factor-step h2" },
  { name: "member-sign-in", app: "member", path: () => "/", as: "none", ready: "email-sign-in h1" },
  { name: "member-invitation", app: "member", path: () => "/", as: "invitationLink", ready: "email-sign-in h1:has-text('Join')" },
  { name: "member-schedule", app: "member", path: () => "/", as: "member", ready: "member-session-card article" },
  { name: "member-bookings", app: "member", path: () => "/bookings", as: "member", ready: "member-bookings h2#upcoming" },
  { name: "member-code", app: "member", path: () => "/code", as: "member", ready: "member-code h2" },
  { name: "member-me", app: "member", path: () => "/me", as: "member", ready: "member-me h2" },
  { name: "member-waiver", app: "member", path: () => "/waiver", as: "member", ready: "member-waiver h2" },
  { name: "member-feed", app: "member", path: () => "/feed", as: "member", ready: "member-feed h2#feed-h" },
  { name: "member-inbox", app: "member", path: () => "/inbox", as: "member", ready: "member-inbox h2" },
];

/** The sizes every screen must work at: a phone, a tablet (the front desk), a laptop. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  tablet: { width: 768, height: 1024 },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;
