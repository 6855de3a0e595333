import type { Severity } from "../../model/index.js";

/** SARIF's `level` values (SARIF 2.1.0 §3.27.10). */
export type SarifLevel = "error" | "warning" | "note" | "none";

/** leaklog's severities have SARIF's names: the mapping is the identity, spelled out for review. */
const LEVELS: Readonly<Record<Severity, SarifLevel>> = {
  error: "error",
  warning: "warning",
  note: "note",
  none: "none",
};

/** The SARIF level of a severity. */
export function levelOf(severity: Severity): SarifLevel {
  return LEVELS[severity];
}
