/** The formatting moved to `domain/format.ts` (every area formats, not only classes); web-admin still imports it here. */
export { formatMoney, formatWhen, primeWhenFormat } from "../format.js";
