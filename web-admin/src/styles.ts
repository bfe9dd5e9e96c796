import { css } from "lit";

/** Shared look for the staff screens: buttons, cards, tables, form fields, focus rings. */
export const shared = css`
  :host {
    display: block;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h1,
  h2,
  h3 {
    margin: 0 0 0.75rem;
    line-height: 1.2;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.15rem;
  }
  .card {
    min-width: 0;
    max-width: 100%;
    background: #fff;
    border-radius: 0.75rem;
    padding: 1rem;
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
  }
  .muted {
    color: #4a5160;
  }
  .row {
    display: flex;
    gap: 0.5rem;
    align-items: center;
    flex-wrap: wrap;
  }
  button,
  .button {
    font: inherit;
    font-size: 0.9rem;
    min-height: 2.25rem;
    padding: 0.35rem 0.8rem;
    border-radius: 0.45rem;
    border: 1px solid #c4cad4;
    background: #fff;
    color: #1b1f27;
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    gap: 0.3rem;
  }
  button.primary,
  .button.primary {
    background: #1f5fbf;
    border-color: #1f5fbf;
    color: #fff;
  }
  button.danger {
    color: #9b1c1c;
    border-color: #e3a5a5;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  :is(button, a, input, select, textarea, [tabindex]):focus-visible {
    outline: 3px solid #f0b400;
    outline-offset: 2px;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-size: 0.85rem;
    color: #333a45;
  }
  label:has(> input[type="radio"]),
  label:has(> input[type="checkbox"]) {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    font-size: 0.9rem;
  }
  input[type="radio"],
  input[type="checkbox"] {
    min-height: auto;
    margin: 0;
  }
  input,
  select,
  textarea {
    font: inherit;
    padding: 0.4rem 0.5rem;
    border: 1px solid #c4cad4;
    border-radius: 0.4rem;
    background: #fff;
    min-height: 2.25rem;
  }
  /* A hint, never mistaken for a filled-in value. */
  ::placeholder {
    font-style: italic;
    color: #6b7280;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  /* A long email or name wraps instead of pushing the table past a phone's edge. */
  td {
    overflow-wrap: anywhere;
  }
  /* A table too wide for its card scrolls inside the card, never the page. */
  .table-scroll {
    overflow-x: auto;
    max-width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.45rem 0.5rem;
    border-bottom: 1px solid #eceff3;
    vertical-align: middle;
  }
  th {
    font-size: 0.75rem;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: #4a5160;
  }
  .status {
    font-size: 0.75rem;
    padding: 0.1rem 0.45rem;
    border-radius: 0.6rem;
    background: #eef1f5;
    white-space: nowrap;
  }
  .status.checked_in,
  .status.accepted {
    background: #dcf3e3;
    color: #1d5f33;
  }
  .status.no_show,
  .status.denied,
  .status.cancelled {
    background: #fde2e1;
    color: #9b1c1c;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** A screen of a list beside its editing panel (Plans, Waivers): two columns on a desktop, one below 900 px. */
export const listAndPanel = css`
  .grid {
    display: grid;
    grid-template-columns: minmax(0, 3fr) minmax(16rem, 2fr);
    gap: 1rem;
    align-items: start;
  }
  @media (max-width: 900px) {
    .grid {
      grid-template-columns: 1fr;
    }
  }
`;

/** A scrolling log table (mail outbox, notice deliveries): full width, one ruled line per row. */
export const logTable = css`
  .table-wrap {
    overflow-x: auto;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: 0.4rem 0.5rem;
    border-bottom: 1px solid #e3e7ee;
    vertical-align: top;
  }
`;

/** A form of labelled fields that wrap into columns (add a member, edit a member, add a lead). */
export const fieldGrid = css`
  .fields {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
    gap: 0.5rem 1rem;
  }
  label {
    display: grid;
    gap: 0.2rem;
  }
  input,
  select,
  textarea {
    min-height: 2.5rem;
    width: 100%;
  }
`;
