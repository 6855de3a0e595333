import {
  LeakKind,
  type Amount,
  Severity,
  type ErrorRecord,
  type Finding,
  type Group,
  type LeakRecord,
  type Totals,
} from "../model/index.js";
import { uncounted } from "./group.js";
import { SaturatedSums } from "./saturated-sums.js";

/**
 * leaklog's own totals, built one finding at a time: bytes and blocks per leak kind (direct
 * bytes, as Valgrind's LEAK SUMMARY sums them) and occurrences per error kind. Superseded leak
 * records (see LeakRecord) are left out: a later leak check counts the same blocks; so are a
 * forked child's copies of its parent's errors and loss records (see uncounted), the latter
 * summed apart (Totals' `inheritedLeaks`). A sum past 2^53 - 1 is held at it (see
 * SaturatedSums).
 */
export class TotalsBuilder {
  private readonly totals: Totals = { leaks: {}, errors: {}, groupsBySeverity: {} };
  private readonly suppressedErrors: Record<string, number> = {};
  /** Of the `suppressed` leaks, what --suppressions took, by the tool's kind (see Totals). */
  private readonly suppressedLeaks: Record<string, Amount> = {};
  /** Forked children's copies of loss records, by the tool's kind (see Totals). */
  private readonly inheritedLeaks: Record<string, Amount> = {};

  constructor(private readonly saturation = new SaturatedSums()) {}

  add(finding: Finding): void {
    // A copy --suppressions took goes by the kind the tool gave it, as the tool's summary
    // counts it (campaign ch F1).
    if (finding.type === "leak" && finding.inheritedFrom !== undefined) {
      const kind = kindBeforeSuppressions(finding) ?? finding.kind;
      return this.addAmount(this.inheritedLeaks, COPIES, kind, finding.directBytes, finding.blocks);
    }
    if (uncounted(finding)) return;
    const path = finding.location.path;
    if (finding.type === "leak") {
      const { kind, directBytes, blocks } = finding;
      this.addAmount(this.totals.leaks, TOTAL, kind, directBytes, blocks, path);
      const toolKind = kindBeforeSuppressions(finding);
      if (toolKind !== undefined)
        this.addAmount(this.suppressedLeaks, SUPPRESSED, toolKind, directBytes, blocks, path);
    } else this.addErrors(finding.kind, finding.count, finding.suppressed === true, path);
  }

  /** Adds totals computed elsewhere (a worker's partial report). */
  addTotals(other: Totals): void {
    for (const [kind, { bytes, blocks }] of Object.entries(other.leaks))
      this.addAmount(this.totals.leaks, TOTAL, kind, bytes, blocks);
    for (const [kind, count] of Object.entries(other.errors)) this.addErrors(kind, count, false);
    for (const [kind, count] of Object.entries(other.suppressedErrors ?? {}))
      this.addSuppressed(kind, count);
    this.addSuppressedLeakAmounts(other.suppressedLeaks ?? {});
    this.addInheritedLeaks(other.inheritedLeaks ?? {});
  }

  /**
   * Takes back a loss record counted here that turned out to be a forked child's copy of its
   * parent's (see InheritedLossRecords, past --max-records): direct bytes, as add counts them,
   * out of its kind's sum and, where --suppressions took it, the tool's kind's share (`toolKind`),
   * into the copies by the tool's kind, as add sums a copy known at once.
   */
  takeBack(leak: Pick<LeakRecord, "kind" | "directBytes" | "blocks">, toolKind?: string): void {
    const { kind, directBytes, blocks } = leak;
    const sum = this.totals.leaks[kind];
    if (sum === undefined) return;
    sum.bytes -= directBytes;
    sum.blocks -= blocks;
    const suppressed = toolKind !== undefined ? this.suppressedLeaks[toolKind] : undefined;
    if (suppressed !== undefined) {
      suppressed.bytes -= directBytes;
      suppressed.blocks -= blocks;
    }
    this.addAmount(this.inheritedLeaks, COPIES, toolKind ?? kind, directBytes, blocks);
  }

  /**
   * Adds forked children's copies known only by their sums (a report's unlisted ones) to what
   * the totals say they left out (Totals' `inheritedLeaks`).
   */
  addInheritedLeaks(amounts: Readonly<Record<string, Amount>>): void {
    for (const [kind, { bytes, blocks }] of Object.entries(amounts))
      this.addAmount(this.inheritedLeaks, COPIES, kind, bytes, blocks);
  }

  /**
   * Adds a group's findings, known only by their sums (a report's unlisted records): a group
   * holds no superseded leak, and its direct bytes are what `add` sums for leaks. How many of
   * its errors were suppressed it cannot say (see addSuppressedErrors).
   */
  addGroup(group: Group): void {
    if (group.type === "leak")
      this.addAmount(this.totals.leaks, TOTAL, group.kind, group.directBytes, group.blocks);
    else this.addErrors(group.kind, group.occurrences, false);
  }

  /** Adds suppressed error occurrences known only by kind (a report's unlisted records). */
  addSuppressedErrors(counts: Readonly<Record<string, number>>): void {
    for (const [kind, count] of Object.entries(counts)) this.addSuppressed(kind, count);
  }

  /**
   * Adds leaks --suppressions took, by the tool's kind, known only by their sums (a report's
   * unlisted records: their groups are all `suppressed`, see addGroup).
   */
  addSuppressedLeakAmounts(amounts: Readonly<Record<string, Amount>>): void {
    for (const [kind, { bytes, blocks }] of Object.entries(amounts))
      this.addAmount(this.suppressedLeaks, SUPPRESSED, kind, bytes, blocks);
  }

  /**
   * Adds bytes and blocks to `kind`'s amount in `sums`, each held at 2^53 - 1 as `label` names
   * it (see SaturatedSums); `path`: the input of the finding added, where there is one.
   */
  private addAmount(
    sums: Record<string, Amount>,
    label: AmountLabel,
    kind: string,
    bytes: number,
    blocks: number,
    path?: string,
  ): void {
    const sum = (sums[kind] ??= { bytes: 0, blocks: 0 });
    sum.bytes = this.saturation.add(sum.bytes, bytes, label(kind, "bytes"), path);
    sum.blocks = this.saturation.add(sum.blocks, blocks, label(kind, "blocks"), path);
  }

  private addErrors(kind: string, count: number, suppressed: boolean, path?: string): void {
    const errors = this.totals.errors;
    errors[kind] = this.saturation.add(errors[kind] ?? 0, count, `total ${kind} errors`, path);
    if (suppressed) this.addSuppressed(kind, count, path);
  }

  private addSuppressed(kind: string, count: number, path?: string): void {
    const was = this.suppressedErrors[kind] ?? 0;
    this.suppressedErrors[kind] = this.saturation.add(was, count, `suppressed ${kind}`, path);
  }

  /** The totals, with groups counted per severity (fixed baseline groups are not findings). */
  result(groups: readonly Group[]): Totals {
    let groupsBySeverity: Record<string, number> = {};
    for (const group of groups) {
      if (group.baseline === "fixed") continue;
      groupsBySeverity[group.severity] = (groupsBySeverity[group.severity] ?? 0) + 1;
    }
    // Keys in one order whatever the order of the inputs and their records, so that the same
    // logs give the same JSON bytes (campaign cg F5): leak kinds and severities as the model
    // lists them, error kinds by name.
    const leaks = sortedKeys(this.totals.leaks, LeakKind.options);
    const errors = sortedKeys(this.totals.errors);
    const suppressedErrors = sortedKeys(this.suppressedErrors);
    const suppressedLeaks = sortedKeys(this.suppressedLeaks, LeakKind.options);
    groupsBySeverity = sortedKeys(groupsBySeverity, Severity.options);
    const inheritedLeaks = sortedKeys(this.inheritedLeaks, LeakKind.options);
    return {
      leaks,
      errors,
      ...(Object.keys(suppressedErrors).length > 0 ? { suppressedErrors } : {}),
      ...(Object.keys(suppressedLeaks).length > 0 ? { suppressedLeaks } : {}),
      ...(Object.keys(inheritedLeaks).length > 0 ? { inheritedLeaks } : {}),
      groupsBySeverity,
    };
  }
}

/**
 * The kind the tool gave a leak that leaklog's --suppressions moved to `suppressed` (the
 * suppressor keeps it in `details.suppressedKind`); undefined for any other leak.
 */
export function kindBeforeSuppressions(leak: LeakRecord): string | undefined {
  // Most leaks counted are of another kind: no look into their details.
  if (leak.kind !== "suppressed" || leak.details?.["suppressedBy"] === undefined) return undefined;
  const kind = leak.details["suppressedKind"];
  return typeof kind === "string" ? kind : undefined;
}

/** `record` with its keys in `first`'s order, then the others by name. */
function sortedKeys<T>(
  record: Record<string, T>,
  first: readonly string[] = [],
): Record<string, T> {
  const rank = (key: string): number => {
    const at = first.indexOf(key);
    return at < 0 ? first.length : at;
  };
  const keys = Object.keys(record).sort(
    (a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return Object.fromEntries(keys.map((key) => [key, record[key] as T]));
}

/**
 * How the `sum-too-large` warning names an amount of a kind that passed 2^53 - 1. One function
 * per amount, made once: the adders run for every finding.
 */
type AmountLabel = (kind: string, unit: "bytes" | "blocks") => string;
const TOTAL: AmountLabel = (kind, unit) => `total ${kind} ${unit}`;
const SUPPRESSED: AmountLabel = (kind, unit) => `suppressed ${kind} ${unit}`;
const COPIES: AmountLabel = (kind, unit) => `${kind} copies' ${unit}`;

/** Totals of whole lists (see TotalsBuilder). */
export function computeTotals(
  leaks: readonly LeakRecord[],
  errors: readonly ErrorRecord[],
  groups: readonly Group[],
): Totals {
  const builder = new TotalsBuilder();
  for (const leak of leaks) builder.add(leak);
  for (const error of errors) builder.add(error);
  return builder.result(groups);
}
