import type { Group } from "../model/index.js";
import { growth } from "./growth.js";

/**
 * How a group compares with the baseline, in words, for the CI formats that list groups one by
 * one with no baseline line of their own (GitHub annotations, JUnit cases, Code Quality issues):
 * `new since the baseline`, or `unchanged since the baseline` and how it grew (see growth).
 * Without them, `--fail-on new` failed on one group of six `::error` annotations and six JUnit
 * failures that read alike (campaign ch Q10). Undefined for a group with no such status: no
 * `--baseline`, a group not compared, or a fixed one, which these formats leave out.
 */
function baselineStatusText(group: Group): string | undefined {
  if (group.baseline === "new") return "new since the baseline";
  if (group.baseline !== "unchanged") return undefined;
  const grew = growth(group);
  return `unchanged since the baseline${grew !== undefined ? `, grew: ${grew}` : ""}`;
}

/** `baselineStatusText` in brackets after a space, or nothing: for the end of a sentence. */
export function baselineStatusClause(group: Group): string {
  const status = baselineStatusText(group);
  return status !== undefined ? ` (${status})` : "";
}
