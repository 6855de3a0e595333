import { isInheritedDescriptors } from "../analysis/inherited-descriptors.js";
import type { Report } from "../model/index.js";
import { shareNote } from "./describe.js";

/**
 * What the text and HTML totals add after FdNotClosed's occurrences: how many are descriptors
 * the processes were given open (as a rule the CI runner's, a shell's, Valgrind's own log),
 * which the report lists as notes. A CTest suite under `--track-fds=yes` read `FdNotClosed 62
 * occurrences` where the programs left 2 open, each of its 15 processes inheriting 4.
 */
export function inheritedDescriptorsNote(report: Report): (kind: string, count: number) => string {
  let inherited = 0;
  for (const group of report.groups) {
    if (isInheritedDescriptors(group)) inherited += group.occurrences;
  }
  return (kind, count) =>
    kind === "FdNotClosed" ? shareNote(inherited, count, "inherited from the parent process") : "";
}
