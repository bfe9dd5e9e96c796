/** Rules every member screen shares, so a button or a list looks and behaves the same wherever it is. */
import { css } from "lit";

/** Disabled buttons dim; keyboard focus gets a ring. */
export const buttonStates = css`
  button:disabled {
    opacity: 0.45;
    cursor: not-allowed;
  }
  button:focus-visible {
    outline: 3px solid var(--focus, #1d4ed8);
    outline-offset: 2px;
  }
`;

/** The app's accent button and its states; each screen sets the size (and an outlined one its colours). */
export const accentButtons = css`
  button {
    border-radius: 0.6rem;
    border: 1px solid var(--accent, #127a52);
    background: var(--accent, #127a52);
    color: #fff;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  ${buttonStates}
`;

/** A list without bullets or indent, its items on a grid (each screen sets the gap). */
export const plainList = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
  }
`;

/** A message that something failed, in a red box. */
export const errorBox = css`
  .error {
    background: #fde8e6;
    color: #8a1c12;
    padding: 0.5rem 0.7rem;
    border-radius: 0.5rem;
    margin: 0;
  }
`;

/** The app's text field: finger-sized, with a focus ring. */
export const textInputs = css`
  input {
    font: inherit;
    font-size: 1rem;
    min-height: 2.75rem;
    border: 1px solid #c4cad2;
    border-radius: 0.5rem;
    padding: 0 0.5rem;
  }
  input:focus-visible {
    outline: 3px solid var(--focus, #1d4ed8);
    outline-offset: 2px;
  }
`;
