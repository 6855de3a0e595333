import { compareLogLocations } from "../analysis/shown-record.js";
import type { Details, Group } from "../model/index.js";
import type { RecordIndex } from "./sites.js";

/**
 * The words after an error group's kind in every report: the group's message (its shown
 * record's, see shown-record.ts), unless its records say more (see descriptorsHead,
 * accessHead, raceHead).
 */
export function errorHead(group: Group, records: RecordIndex): string {
  // The record the group shows, when listed: its details go with the group's message.
  const details = records.ofGroup(group)[0]?.details;
  return (
    descriptorsHead(group, records) ??
    accessHead(details) ??
    raceHead(details) ??
    signalHead(group.message, details) ??
    withoutRegisters(group.message)
  );
}

/**
 * A sanitizer's deadly signal by its access, `WRITE memory access on unknown address
 * 0x000000000010 (address points to the zero page)`, from `The signal is caused by a WRITE
 * memory access.` and its hint: the headline said only the address, then registers
 * (campaign bk).
 */
function signalHead(message: string, details: Details | undefined): string | undefined {
  const { access, notes } = details ?? {};
  const unknown = UNKNOWN_ADDRESS.exec(message);
  if (typeof access !== "string" || details?.["accessSize"] !== undefined) return undefined;
  if (unknown === null) return undefined;
  // A high value address is not printed (`SEGV on unknown address (pc ...)`): its hint says so.
  const address = unknown[1] !== undefined ? ` ${unknown[1]}` : "";
  // Its first clause: `this fault was caused by a dereference of a high value address (see
  // register values below).  Disassemble the provided pc to ...` goes on about registers.
  const hint =
    typeof notes === "string" ? SIGNAL_HINT.exec(notes)?.[1]?.split(/ \(see |\.\s/)[0] : undefined;
  const thread = threadWords(REGISTERS.exec(message)?.[1]);
  return `${access} memory access on unknown address${address}${hint !== undefined ? ` (${hint})` : ""}${thread}`;
}

const UNKNOWN_ADDRESS = / on unknown address(?: (0x[0-9a-f]+))?/;
const SIGNAL_HINT = /^Hint: (.+?)\.?$/m;

/**
 * A sanitizer's headline less its registers, `(pc 0x55a3… bp 0x7ffe… sp 0x7ffe… T0)` or ` at pc
 * 0x55a3… bp 0x7ffe… sp 0x7ffe…`, which change from run to run and say nothing to a reader
 * (`stack-overflow on address 0x7ffd…`, and a group without records: a fixed one, whose records
 * a baseline does not keep, and every group `diff` lists, which keeps none (campaign br Q3)).
 */
function withoutRegisters(message: string): string {
  return message
    .replace(REGISTERS, (_, thread: string) => threadWords(thread))
    .replace(REGISTERS_AT, "");
}

/** ` in thread T1` for the thread of a headline's registers; nothing for the main thread. */
function threadWords(thread: string | undefined): string {
  return thread === undefined || thread === "T0" ? "" : ` in thread ${thread}`;
}

const REGISTERS = / \(pc 0x[0-9a-f]+ bp 0x[0-9a-f]+ sp 0x[0-9a-f]+ (T\d+)\)$/;
const REGISTERS_AT = / at pc 0x[0-9a-f]+ bp 0x[0-9a-f]+ sp 0x[0-9a-f]+$/;

/** A group's head: an error's as errorHead says it, a leak's message. */
export function groupHead(group: Group, records: RecordIndex): string {
  return group.type === "error" ? errorHead(group, records) : group.message;
}

/** A sanitizer's access, `READ of size 8`, from a record's details; undefined without one. */
export function accessWords(details: Details | undefined): string | undefined {
  const { access, accessSize } = details ?? {};
  return typeof access === "string" && typeof accessSize === "number"
    ? `${access} of size ${accessSize}`
    : undefined;
}

/**
 * A sanitizer's access in its own words, `READ of size 8, 8 bytes inside of 16-byte region`,
 * rather than its headline `heap-use-after-free on address 0x602000000018 at pc 0x55703a9ef282
 * bp 0x7ffc6c85fe70 sp 0x7ffc6c85fe68`, which says the kind again and then registers (campaign
 * ab). Undefined for a record without an access of known size.
 */
function accessHead(details: Details | undefined): string | undefined {
  const access = accessWords(details);
  if (access === undefined) return undefined;
  const description = details?.["description"];
  const located = typeof description === "string" ? LOCATED.exec(description)?.[1] : undefined;
  const where = located !== undefined ? `, ${located.replace(ADDRESSES, "").trim()}` : "";
  return `${access}${where}`;
}

/** `0x602000000018 is located 8 bytes inside of 16-byte region [...)`: ASan's one-line place. */
const LOCATED = /^0x[0-9a-f]+ is located ([^\n]+)/;

/** The addresses in it: `[0x602000000010,0x602000000020)`, `(0x55ad37811060)`. */
const ADDRESSES = /\s*(?:\[0x[0-9a-f]+,0x[0-9a-f]+\)|\(0x[0-9a-f]+\))/g;

/**
 * ThreadSanitizer's racing access in its own words, `Read of size 4 by thread T2, global 'g' of
 * size 4`, rather than its report type (`data race`), which only says the kind again: the access
 * is the first stack's title, the place the description's `Location is` line. Undefined for a
 * report whose first stack is not an access (a leaked thread, a mutex misuse).
 */
function raceHead(details: Details | undefined): string | undefined {
  const { title, description } = details ?? {};
  const access = typeof title === "string" ? RACING_ACCESS.exec(title) : null;
  if (access === null) return undefined;
  const place = typeof description === "string" ? RACE_LOCATION.exec(description)?.[1] : undefined;
  // `global '<null>' at 0x000000000000 ([stack]+0x1e9c0)`: a place TSan could not name.
  const named = place !== undefined && !place.includes("'<null>'");
  return `${access[1]}${access[2]}${named ? `, ${place}` : ""}`;
}

/** `Atomic write of size 8 at 0x7b0c00000010 by main thread (mutexes: write M0)`. */
const RACING_ACCESS = /^((?:Atomic )?(?:Read|Write) of size \d+)(?: at 0x[0-9a-f]+)?( by .+)$/i;

/**
 * `Location is global 'g' of size 4 at 0x5555… (race+0x4054)`, `Location is heap block of size 4
 * at 0x7b04… allocated by main thread:`, `Location is stack of thread T1.`: what was raced on.
 */
const RACE_LOCATION = /^Location is (.+?)(?: at 0x[0-9a-f]+.*|\.)?$/m;

/**
 * `Open file descriptor 9: /dev/null`, `Open AF_UNIX socket 7: <unknown>` (Valgrind); one with
 * no path is `Open file descriptor 251:` in the text log, `Open file descriptor 251` in the
 * `<what>` of protocol 5+ XML (campaign bw F8).
 */
const OPEN_DESCRIPTOR = /^Open (.+?) (\d+)(?::(.*))?$/;

/** Descriptors named in a group's head; the rest are counted. */
const NAMED = 6;

/**
 * The head of a group of descriptors left open, naming each one its listed records name: the
 * group's message is one record's (see shown-record.ts), and `Open file descriptor 251: (4 occurrences)` read
 * as one descriptor left open four times where four were, each inherited (campaign ab).
 * Undefined when the group is not such a group or its records name one descriptor.
 */
function descriptorsHead(group: Group, records: RecordIndex): string | undefined {
  if (group.kind !== "FdNotClosed" || group.occurrences < 2) return undefined;
  const kinds = new Set<string>();
  const named = new Map<string, string>();
  // In their logs' order (by path, then line), whatever order the logs came in: the first
  // record naming a descriptor says what it is (each process's log names its own).
  const ofGroup = [...records.ofGroup(group)].sort((a, b) =>
    compareLogLocations(a.location, b.location),
  );
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
