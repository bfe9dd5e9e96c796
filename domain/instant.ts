/** Epoch milliseconds: every instant in `domain/` (never `Date`; "now" is always a parameter). */
export type Instant = number;
