import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../helpers/golden.js";

const MULTITOOL = join(ROOT, "node_modules/@microsoft/sarif-multitool/bin.js");

/** Whether Microsoft's SARIF Multitool runs here: the tests that need it skip without it. */
export const MULTITOOL_AVAILABLE =
  spawnSync(process.execPath, [MULTITOOL, "--version"]).status === 0;

/** One finding of the Multitool's validation, as its own SARIF output gives it. */
export interface ValidationResult {
  ruleId: string;
  level?: string;
  message: { id?: string };
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
}

/**
 * Validates the SARIF files `pattern` matches against the SARIF 2.1.0 schema and GitHub's
 * ingestion rules (`Sarif;Gh`) at every level, writing the Multitool's own log to `out`.
 * Returns its exit status and output, and its findings.
 */
export function validateSarif(
  pattern: string,
  out: string,
): { status: number | null; output: string; results: ValidationResult[] } {
  // bin.js runs the tool through a shell: the semicolon lists need their own quotes.
  const run = spawnSync(
    process.execPath,
    [
      MULTITOOL,
      "validate",
      pattern,
      "--rule-kind",
      '"Sarif;Gh"',
      "--level",
      '"Error;Warning;Note"',
      "--output",
      out,
      "--log",
      "ForceOverwrite",
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) return { status: run.status, output: run.stdout + run.stderr, results: [] };
  const validation = JSON.parse(readFileSync(out, "utf8")) as {
    runs: { results: ValidationResult[] }[];
  };
  return { status: run.status, output: "", results: validation.runs[0]?.results ?? [] };
}

/**
 * Whether a finding is an error or a warning (one without a level is a warning), but the advice
 * to name a tool.driver.informationUri: no project URL exists yet to put there.
 */
export function isSerious(result: ValidationResult): boolean {
  const level = result.level ?? "warning";
  if (level !== "error" && level !== "warning") return false;
  return !(
    result.ruleId === "SARIF2005" && result.message.id === "Warning_ProvideToolnformationUri"
  );
}

/**
 * The files a validation analyzed: the tool skips, silently, a file it cannot deserialize (an
 * unknown enum value, say), so each file must show up in its (note-level) advice to prove it was.
 */
export function analyzedUris(results: readonly ValidationResult[]): Set<string> {
  return new Set(
    results.map((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ""),
  );
}
