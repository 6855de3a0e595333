import { DEFAULT_FINGERPRINT_OPTIONS, type FingerprintOptions } from "../analysis/fingerprint.js";
import { checkSeverityPolicy } from "../analysis/severity.js";
import { ParseReuse } from "../engine/parse-reuse.js";
import { inputFormatIds } from "../formats/index.js";
import type { ParseOptions } from "./parse.js";

/**
 * The shortest maxLineLength taken: a `==PID== ` prefix and the start of a line. Shorter, every
 * line was cut to nothing a format knows, and a leaking log read as a clean, complete run.
 */
export const MIN_LINE_LENGTH = 80;

/**
 * Throws for parse options that cannot be meant (a TypeError for a wrong type, a RangeError for
 * a value out of range), before any input is read: inside parseFile's read they became the
 * file's problem (`unreadable-input: no input format "Valgrind"`), or a log that read as a clean
 * run (`maxLineLength: 10`, `fingerprint: { frames: 0 }`, which hashed every stack alike).
 * TypeScript callers are held to most of this by the types; plain JavaScript is not.
 */
export function checkParseOptions(options: unknown): asserts options is ParseOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError('parse options: an object, such as { path: "valgrind.txt" }');
  }
  const o = options as Record<string, unknown>;
  for (const name of ["path", "idPrefix"] as const) {
    if (o[name] !== undefined && typeof o[name] !== "string") {
      throw new TypeError(`parse options: ${name} must be a string`);
    }
  }
  const format = o["inputFormat"];
  const formats: readonly unknown[] = ["auto", ...inputFormatIds()];
  if (format !== undefined && !formats.includes(format)) {
    throw new RangeError(
      `parse options: inputFormat ${JSON.stringify(format)} is no input format; expected one of ${formats.join(", ")}`,
    );
  }
  const max = o["maxLineLength"];
  if (max !== undefined && !(isWhole(max) && max >= MIN_LINE_LENGTH)) {
    throw new RangeError(
      `parse options: maxLineLength must be a whole number of bytes, at least ${MIN_LINE_LENGTH} (default 1 MiB)`,
    );
  }
  if (o["fingerprint"] !== undefined) checkFingerprint(o["fingerprint"]);
  if (o["allowEmpty"] !== undefined && typeof o["allowEmpty"] !== "boolean") {
    throw new TypeError("parse options: allowEmpty must be true or false");
  }
  if (o["reuse"] !== undefined && !(o["reuse"] instanceof ParseReuse)) {
    throw new TypeError("parse options: reuse must be a ParseReuse (new ParseReuse())");
  }
  if (o["severityPolicy"] !== undefined) checkSeverityPolicy(o["severityPolicy"] as never);
}

/** A whole number, or Infinity (no cap: every frame, any line length). */
function isWhole(n: unknown): n is number {
  return Number.isInteger(n) || n === Number.POSITIVE_INFINITY;
}

/**
 * As the CLI's --fingerprint-frames (at least 1) and --fingerprint-lines take them; a field left
 * out takes its default, as it does there (campaign bs Q1: `{ lines: true }` threw that frames
 * must be a whole number "(default 8)", and `{ lines: "yes" }` that too, not the TypeError).
 */
function checkFingerprint(fingerprint: unknown): void {
  if (typeof fingerprint !== "object" || fingerprint === null) {
    throw new TypeError("parse options: fingerprint must be an object, such as { lines: true }");
  }
  const f = fingerprint as { frames?: unknown; lines?: unknown };
  if (f.frames !== undefined && !(isWhole(f.frames) && f.frames >= 1)) {
    throw new RangeError(
      "parse options: fingerprint.frames must be a whole number of frames, at least 1 (default 8)",
    );
  }
  if (f.lines !== undefined && typeof f.lines !== "boolean") {
    throw new TypeError("parse options: fingerprint.lines must be true or false (default false)");
  }
}

/** Checked fingerprint options (see checkFingerprint), a field left out at its default. */
export function fingerprintOptions(fingerprint: Partial<FingerprintOptions>): FingerprintOptions {
  return {
    frames: fingerprint.frames ?? DEFAULT_FINGERPRINT_OPTIONS.frames,
    lines: fingerprint.lines ?? DEFAULT_FINGERPRINT_OPTIONS.lines,
  };
}
