import { css } from "lit";

/** The look of <email-sign-in> (email-sign-in.ts): its forms, the code field, the single sign-on button, errors and notes. */
export const signInStyles = css`
  :host {
    display: block;
    max-width: 26rem;
    margin: 2rem auto;
    padding: 0 1rem;
    font: inherit;
  }
  form {
    display: grid;
    gap: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.3rem;
    font-weight: 600;
  }
  input {
    font: inherit;
    min-height: 2.75rem;
    padding: 0 0.75rem;
    border-radius: 0.5rem;
    border: 1px solid #98a2b3;
  }
  input.code {
    font-size: 1.6rem;
    letter-spacing: 0.4rem;
    text-align: center;
  }
  button {
    min-height: 2.75rem;
    padding: 0 1.25rem;
    border-radius: 0.6rem;
    border: none;
    background: var(--accent, #1d4ed8);
    color: #fff;
    font: inherit;
    font-weight: 600;
  }
  label.consent {
    display: flex;
    gap: 0.5rem;
    align-items: flex-start;
    font-weight: 400;
  }
  label.consent input {
    min-height: auto;
    width: 1.25rem;
    height: 1.25rem;
    margin-top: 0.15rem;
  }
  .or {
    display: grid;
    gap: 0.5rem;
    margin-top: 1rem;
  }
  a.button {
    display: flex;
    align-items: center;
    justify-content: center;
    min-height: 2.75rem;
    border-radius: 0.6rem;
    border: 2px solid var(--accent, #1d4ed8);
    color: var(--accent, #1d4ed8);
    font-weight: 600;
    text-decoration: none;
  }
  a.button:focus-visible {
    outline: 3px solid var(--focus, #1d4ed8);
    outline-offset: 2px;
  }
  button.link {
    background: none;
    color: var(--accent, #1d4ed8);
    text-decoration: underline;
    padding: 0;
    min-height: 2rem;
  }
  input:focus-visible,
  button:focus-visible {
    outline: 3px solid var(--focus, #1d4ed8);
    outline-offset: 2px;
  }
  .error {
    color: #b42318;
    font-weight: 600;
  }
  .note {
    color: #475467;
  }
`;
