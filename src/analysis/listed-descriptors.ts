import type { Source } from "../model/index.js";

/** Formats whose logs list descriptors left open when Valgrind tracks them, and reports of them. */
const LISTING_FORMATS: ReadonlySet<string> = new Set(["valgrind", "valgrind-xml", "leaklog-json"]);

/**
 * Whether a source that could list the descriptors its run left open at exit did not (see
 * Source.descriptorsListed: Valgrind ran without --track-fds=yes, or a report read back holds
 * such a log): the run's open descriptors are unknown, not none, so a baseline's `FdNotClosed`
 * groups are not fixed in it (campaign ch Q15). Sanitizers, memleax and MEMWATCH never list
 * any: their logs say nothing either way.
 */
export function descriptorsUnlisted(
  sources: readonly Pick<Source, "format" | "descriptorsListed">[],
): boolean {
  return sources.some((s) => LISTING_FORMATS.has(s.format) && s.descriptorsListed !== true);
}

/** Whether every source of `sources` that could list descriptors did, and one could. */
export function descriptorsListedByAll(
  sources: readonly Pick<Source, "format" | "descriptorsListed">[],
): boolean {
  return sources.some((s) => LISTING_FORMATS.has(s.format)) && !descriptorsUnlisted(sources);
}
