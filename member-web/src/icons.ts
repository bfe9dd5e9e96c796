import { svg, type SVGTemplateResult } from "lit";

/** Line icons for the section bar (no icon font, no emoji: they render the same everywhere). */
export const icons: Record<"schedule" | "bookings" | "code" | "me" | "feed" | "inbox", SVGTemplateResult> = {
  schedule: svg`<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>`,
  bookings: svg`<path d="M9 6h11M9 12h11M9 18h11M3.5 6l1.5 1.5L7.5 5M3.5 12l1.5 1.5 2.5-2.5M3.5 18l1.5 1.5 2.5-2.5"/>`,
  code: svg`<rect x="3" y="3" width="7" height="7"/><rect x="14" y="3" width="7" height="7"/><rect x="3" y="14" width="7" height="7"/><path d="M14 14h3v3h-3zM18 18h3v3h-3z"/>`,
  me: svg`<circle cx="12" cy="8" r="4"/><path d="M4 21a8 8 0 0 1 16 0"/>`,
  feed: svg`<path d="M13 2 4 14h7l-1 8 9-12h-7z"/>`,
  inbox: svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4z"/><path d="M10 20a2 2 0 0 0 4 0"/>`,
};
