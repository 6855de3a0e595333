import type { ErrorRecord, Group, LeakRecord, Totals } from "../model/index.js";

/** leaklog's own totals: bytes and blocks per leak kind (direct bytes, as Valgrind sums them). */
export function computeTotals(
  leaks: readonly LeakRecord[],
  errors: readonly ErrorRecord[],
  groups: readonly Group[],
): Totals {
  const totals: Totals = { leaks: {}, errors: {}, groupsBySeverity: {} };
  for (const leak of leaks) {
    const sum = (totals.leaks[leak.kind] ??= { bytes: 0, blocks: 0 });
    sum.bytes += leak.directBytes;
    sum.blocks += leak.blocks;
  }
  for (const error of errors)
    totals.errors[error.kind] = (totals.errors[error.kind] ?? 0) + error.count;
  for (const group of groups) {
    totals.groupsBySeverity[group.severity] = (totals.groupsBySeverity[group.severity] ?? 0) + 1;
  }
  return totals;
}
