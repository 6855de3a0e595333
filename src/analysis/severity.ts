import type { Severity } from "../model/index.js";

/**
 * Default severities follow Valgrind's own defaults (`--errors-for-leak-kinds=definite,possible`):
 * definitely and possibly lost count as errors, indirectly lost follows its owner (warning),
 * still reachable is a note, suppressed is nothing. Memory errors are errors; descriptors left
 * open, free(NULL) and failed allocations are warnings. Any kind can be overridden.
 */
export const DEFAULT_SEVERITIES: Readonly<Record<string, Severity>> = {
  "definitely-lost": "error",
  "possibly-lost": "error",
  "indirectly-lost": "warning",
  "still-reachable": "note",
  suppressed: "none",
  FdNotClosed: "warning",
  // MEMWATCH does not count free(NULL) as an anomaly (it is legal C); report it, gently.
  NullFree: "warning",
  // memleax: the program saw malloc fail and presumably handled it.
  AllocReturnsNull: "warning",
};

/** Severity overrides by kind, e.g. `{ "still-reachable": "warning" }`. */
export type SeverityPolicy = Readonly<Record<string, Severity>>;

/** The severity of a finding of `kind`; errors not listed default to "error". */
export function severityOf(
  kind: string,
  options: { suppressed?: boolean | undefined; policy?: SeverityPolicy | undefined } = {},
): Severity {
  if (options.suppressed === true) return "none";
  return options.policy?.[kind] ?? DEFAULT_SEVERITIES[kind] ?? "error";
}

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, note: 1, none: 0 };

/** Orders severities, most severe first. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}
