import { REDACTED } from '../model/redact.js';

/**
 * Input-derived text is attacker-controllable (log lines, hostnames, interface names, VRRP auth strings). These make
 * it inert for each place it lands.
 */

// C0/C1 controls and DEL, which carry terminal escape sequences (ESC [, OSC 8 links, BEL); line feeds and Unicode line
// separators, which would start a forged report line ("  F1 [critical] …"); bidirectional overrides, which reorder
// what is shown. A tab is kept: it moves the cursor, nothing more.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** For a terminal (one line): control characters become visible `\xNN` / `\u{NNNN}`, so no escape sequence can run. */
export function forTerminal(s: string): string {
  return s.replace(CONTROLS, (c) => {
    const n = c.charCodeAt(0);
    return n < 0x100 ? '\\x' + n.toString(16).padStart(2, '0') : `\\u{${n.toString(16)}}`;
  });
}

/** For CSV: a cell that a spreadsheet would read as a formula gets a leading apostrophe (OWASP's advice). */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = String(value);
  // a lone "-" (plaso's "no value") cannot compute anything
  return s !== '-' && /^[=+\-@\t\r]/.test(s) ? "'" + s : s;
}

/** Secrets (VRRP simple-auth strings, auth_pass) are shown only when the user asked for them. */
export function secret(value: string | undefined, show: boolean): string | undefined {
  if (value === undefined) return undefined;
  return show ? value : REDACTED;
}
