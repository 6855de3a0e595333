import type { Diagnostic, ErrorRecord, LeakRecord } from "../../model/index.js";
import type { ValgrindSuppression } from "./valgrind.js";
import { Suppressor } from "./suppressor.js";

/** Findings of one source, as ParseResult holds them. */
export interface FindingLists {
  leaks: readonly LeakRecord[];
  errors: readonly ErrorRecord[];
}

/** What applying suppressions gives: new lists (inputs untouched) and the unused entries. */
export interface AppliedSuppressions<T extends FindingLists> {
  results: T[];
  /** One `unused-suppression` info diagnostic per Memcheck entry that matched nothing. */
  diagnostics: Diagnostic[];
}

/**
 * Applies Valgrind suppressions after the fact to whole parse results (see Suppressor, which
 * does it one finding at a time). Only Valgrind's own records are considered: other tools'
 * stacks (interceptors, no `(below main)`) are not what these entries were written against.
 */
export function applyValgrindSuppressions<T extends FindingLists>(
  results: readonly T[],
  suppressions: readonly ValgrindSuppression[],
): AppliedSuppressions<T> {
  const suppressor = new Suppressor({ valgrind: suppressions, lsan: [] });
  // The whole results are here: each finding is matched with all its process shows of its Rust
  // crates' manglings (see RustCrateManglings), not only what came before it.
  for (const result of results) {
    for (const finding of [...result.leaks, ...result.errors]) suppressor.note(finding);
  }
  const out = results.map((result) => ({
    ...result,
    leaks: result.leaks.map((leak) => suppressor.apply(leak)),
    errors: result.errors.map((error) => suppressor.apply(error)),
  }));
  return { results: out, diagnostics: suppressor.unused() };
}
