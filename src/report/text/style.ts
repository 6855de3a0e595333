import type { Severity } from "../../model/index.js";

/** ANSI styling that turns itself off when colour is not wanted. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  severity(severity: Severity, text: string): string;
}

const CODES: Readonly<Record<Severity, string>> = {
  error: "31",
  warning: "33",
  note: "36",
  none: "2",
};

export function makeStyle(color: boolean): Style {
  if (!color) return { bold: (t) => t, dim: (t) => t, severity: (_s, t) => t };
  return {
    bold: (t) => `\u001b[1m${t}\u001b[22m`,
    dim: (t) => `\u001b[2m${t}\u001b[22m`,
    severity: (s, t) => `\u001b[${CODES[s]}m${t}\u001b[39m`,
  };
}

/**
 * Removes control characters a hostile log could use to drive the terminal, and line breaks:
 * every string this is for is one line of the summary (a source path can hold a newline, which
 * Valgrind's XML keeps, and split a frame over three lines). Bidirectional overrides and
 * isolates too (U+202A-202E, U+2066-2069): a symbol holding U+202E showed its name reordered,
 * the trick of "Trojan Source" (campaign bf).
 */
export function clean(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    "?",
  );
}
