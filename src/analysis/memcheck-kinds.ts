import { LeakKind } from "../model/index.js";

/** The kinds a leak check lists as loss records: every kind but `suppressed`, which none lists. */
export const RECORD_LEAK_KINDS: readonly LeakKind[] = LeakKind.options.filter(
  (kind) => kind !== "suppressed",
);

/**
 * Memcheck's default `--show-leak-kinds` and `--errors-for-leak-kinds` (mc_main.c): definite
 * and possible leaks, which it lists and counts as errors unless told otherwise.
 */
export const MEMCHECK_DEFAULT_KINDS: readonly LeakKind[] = ["definitely-lost", "possibly-lost"];
