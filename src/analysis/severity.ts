import { KNOWN_ERROR_KINDS, LeakKind, Severity } from "../model/index.js";
import { markedDeathTestChild } from "./death-tests.js";
import { inheritedOpen } from "./inherited-descriptors.js";
import { didYouMean } from "./gate-rules.js";

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

const POLICY_KINDS: readonly string[] = [...LeakKind.options, ...KNOWN_ERROR_KINDS];

/**
 * Throws a RangeError for a policy entry that is no severity or names no kind. Plain
 * JavaScript passed `{ "still-reachable": "warn" }` through: its findings had a severity no
 * report knows (SARIF gave no level, Code Quality dropped the group, `--fail-on warning` missed
 * it) and the report failed its own schema.
 */
export function checkSeverityPolicy(policy: SeverityPolicy): void {
  for (const [kind, severity] of Object.entries(policy)) {
    if (!(Severity.options as readonly unknown[]).includes(severity)) {
      throw new RangeError(
        `severityPolicy: ${kind}: "${String(severity)}" is no severity; expected one of ${Severity.options.join(", ")}`,
      );
    }
    if (!POLICY_KINDS.includes(kind)) {
      throw new RangeError(
        `severityPolicy: unknown kind "${kind}"${didYouMean(kind, POLICY_KINDS)}; expected a leak kind (${LeakKind.options.join(", ")}) or an error kind such as InvalidRead (the README lists them)`,
      );
    }
  }
}

/** The severity of a finding of `kind`; errors not listed default to "error". */
export function severityOf(
  kind: string,
  options: {
    suppressed?: boolean | undefined;
    policy?: SeverityPolicy | undefined;
    /**
     * The severity a leaklog report read back gave the finding: its run's severityPolicy and
     * rules decided it, and its source's policy is recorded, so it stands unless `policy`,
     * this parse's, names the kind (the default policy made a reachable leak that the report
     * had called an error a note, while its unshown reachable bytes stayed errors, F3).
     */
    written?: Severity | undefined;
    /** The finding itself (its message and aux lines), for the kinds whose cases differ. */
    finding?:
      | { message?: string | undefined; aux?: readonly { message: string }[] | undefined }
      | undefined;
  } = {},
): Severity {
  if (options.suppressed === true) return "none";
  const policy = options.policy?.[kind];
  if (policy !== undefined) return policy;
  if (options.written !== undefined) return options.written;
  const finding = options.finding;
  return (
    (finding !== undefined ? caseSeverity(kind, finding) : undefined) ??
    DEFAULT_SEVERITIES[kind] ??
    "error"
  );
}

/**
 * The severity of a leak kind that only a tool's summary counts (SummaryOnlyLeak): the log's
 * severityPolicy's, stamped on the entry, or the kind's default.
 */
export function summaryOnlySeverity(
  entry: { severity?: Partial<Record<string, Severity>> | undefined },
  kind: string,
): Severity {
  return entry.severity?.[kind] ?? severityOf(kind);
}

/** Signals that ask a process to stop from outside: a harness ending a server, a timeout. */
const TERMINATION_REQUEST =
  /^Process terminating with default action of signal \d+ \((?:SIGTERM|SIGINT|SIGHUP)\)/;

/**
 * Cases of a kind that are not what the kind's severity is for (campaign w): a process that a
 * termination request ended (`timeout`, a harness stopping a server with SIGTERM), which
 * Valgrind counts as no error, is a warning, not a crash; a descriptor the process was given
 * open (`<inherited from parent>`: Valgrind's own --log-file, what the CI runner leaked) and
 * never opened itself is a note, not the program's leak; so is a GoogleTest death test's child
 * that died as its test expected (the aux line markDeathTests gave it, campaign cc F1). A
 * severityPolicy for the kind wins.
 */
function caseSeverity(
  kind: string,
  finding: { message?: string | undefined; aux?: readonly { message: string }[] | undefined },
): Severity | undefined {
  if (kind === "FatalSignal" && markedDeathTestChild(finding)) return "note";
  if (kind === "FatalSignal" && TERMINATION_REQUEST.test(finding.message ?? "")) return "warning";
  if (kind === "FdNotClosed" && inheritedOpen(finding)) return "note";
  return undefined;
}

const RANK: Readonly<Record<Severity, number>> = { error: 3, warning: 2, note: 1, none: 0 };

/** Orders severities, most severe first. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}
