import type { Group } from "../model/index.js";

/*
 * Descriptors a process was given open and never opened itself: Valgrind lists each under
 * `<inherited from parent>` (the XML parser adds the line where its XML has none). They are the
 * launcher's (the CI runner's, a shell's, Valgrind's own --log-file), not the program's, and
 * Valgrind lists different ones by version and option: 3.19 lists its own log's descriptor,
 * 3.24 the runner's with --track-fds=yes, 3.27 none without --track-fds=all.
 */

/** Whether a finding's aux lines say its descriptor was inherited. */
export function inheritedOpen(finding: {
  aux?: readonly { message: string }[] | undefined;
}): boolean {
  return finding.aux?.some((a) => a.message === "<inherited from parent>") === true;
}

/** Whether a group is of descriptors a process inherited open (its stack is empty). */
export function isInheritedDescriptors(group: Group): boolean {
  return (
    group.type === "error" &&
    group.kind === "FdNotClosed" &&
    group.stack.length === 0 &&
    inheritedOpen(group)
  );
}
