import type { Group } from "../model/index.js";
import type { RecordIndex } from "./sites.js";

/** `Open file descriptor 9: /dev/null`, `Open AF_UNIX socket 7: <unknown>` (Valgrind). */
const OPEN_DESCRIPTOR = /^Open (.+?) (\d+):(.*)$/;

/** Descriptors named in a group's head; the rest are counted. */
const NAMED = 6;

/**
 * The head of a group of descriptors left open, naming each one its listed records name: the
 * group's message is its first record's, and `Open file descriptor 251: (4 occurrences)` read
 * as one descriptor left open four times where four were, each inherited (campaign ab).
 * Undefined when the group is not such a group or its records name one descriptor.
 */
export function descriptorsHead(group: Group, records: RecordIndex): string | undefined {
  if (group.kind !== "FdNotClosed" || group.occurrences < 2) return undefined;
  const kinds = new Set<string>();
  const named = new Map<string, string>();
  const ofGroup = records.ofGroup(group);
  for (const record of ofGroup) {
    const match = record.type === "error" ? OPEN_DESCRIPTOR.exec(record.message) : null;
    if (match === null) return undefined;
    const [, kind = "", fd = "", rest = ""] = match;
    kinds.add(kind);
    const what = rest.trim();
    if (!named.has(fd)) named.set(fd, what === "" ? fd : `${fd} (${what})`);
  }
  if (named.size < 2 || kinds.size !== 1) return undefined;
  const [kind] = [...kinds] as [string];
  const names = [...named.values()];
  const shown = names.length <= NAMED + 1 ? names : names.slice(0, NAMED);
  const more = names.length - shown.length;
  const notSeen = group.occurrences - ofGroup.length;
  const rest = more > 0 ? ` and ${more} more` : notSeen > 0 ? " and more" : "";
  return `Open ${kind}s ${shown.join(", ")}${rest}`;
}
