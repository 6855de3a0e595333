import type { ErrorRecord, Frame, RegisteredDiagnostic } from "../../model/index.js";
import {
  parseTypedLines,
  templateMatch,
  type SanitizerFileRules,
  type TypedLine,
} from "./sanitizer-lines.js";

/**
 * ThreadSanitizer suppression files (`TSAN_OPTIONS=suppressions=FILE`): `type:PATTERN` lines
 * (see sanitizer-lines.ts) of the types compiler-rt's tsan_suppressions.cpp reads. Matching
 * follows its IsSuppressed: a report's type decides which entries apply (conv), and they are
 * matched against the frames of the stacks TSan marks suppressable, then global locations.
 */

export const TSAN_SUPPRESSION_TYPES = [
  "race",
  "race_top",
  "thread",
  "mutex",
  "signal",
  "deadlock",
  "called_from_lib",
] as const;
export type TsanSuppressionType = (typeof TSAN_SUPPRESSION_TYPES)[number];

/** One entry of a TSan file. */
export type TsanSuppression = TypedLine<TsanSuppressionType>;

export interface TsanSuppressionFile {
  suppressions: TsanSuppression[];
  problems: RegisteredDiagnostic[];
}

const TSAN_RULES: SanitizerFileRules<TsanSuppressionType> = {
  types: TSAN_SUPPRESSION_TYPES,
  unknownType: (type) =>
    `unknown suppression type "${type}": ThreadSanitizer reads ${TSAN_SUPPRESSION_TYPES.join(", ")}`,
  matchesAll: "every report of its type",
  tool: "TSan",
};

/** Parses a ThreadSanitizer suppression file: every malformed line is an error diagnostic. */
export function parseTsanSuppressions(text: string, path = "<suppressions>"): TsanSuppressionFile {
  const { entries, problems } = parseTypedLines(text, path, TSAN_RULES);
  return { suppressions: entries, problems };
}

/**
 * Types that act only while the program runs: `called_from_lib` makes TSan ignore the
 * interceptors called from a library, so its reports never happen; a log cannot tell which
 * ones they would have been. Never matched here, and never reported unused.
 */
export function appliesAfterTheRun(entry: TsanSuppression): boolean {
  return entry.type !== "called_from_lib";
}

/**
 * The suppression type of a report kind (tsan_suppressions.cpp, conv), from the kinds the
 * sanitizer parser makes of ReportTypeString: races and use-after-free are `race`, a leaked
 * thread `thread`, lock inversion `deadlock`, the signal-handler reports `signal`, every other
 * mutex report `mutex`.
 */
export function tsanSuppressionType(kind: string): TsanSuppressionType | undefined {
  if (kind === "thread-leak") return "thread";
  if (kind === "lock-order-inversion") return "deadlock";
  if (kind.startsWith("signal")) return "signal";
  if (kind.includes("mutex")) return "mutex";
  if (kind.startsWith("data-race") || kind.startsWith("heap-use-after-free")) return "race";
  if (kind.startsWith("race-on")) return "race";
  return undefined;
}

/**
 * The aux sections whose stacks TSan marks suppressable besides the report's first one: the
 * second memory access (`Previous write of size 4 …`), the other lock acquisitions of a lock
 * inversion, the last lock of a destroyed locked mutex (`and`). Not the stacks that created
 * threads, mutexes or heap blocks (rep->threads of a race, rep->mutexes, heap locations).
 */
const SUPPRESSABLE_AUX = /^(?:Previous |Mutex M\d+ (?:acquired here|previously acquired)|and$)/;

/** `Location is global 'counter' of size 4 at 0x… (kinds+0x4148)`: a global's name and module. */
const GLOBAL_LOCATION = /^Location is global '(.+?)' (?:of size \d+ )?at 0x[0-9a-f]+ \((.+?)\+0x/;

/**
 * The first entry that suppresses the TSan report, in TSan's order (OutputReport): the
 * suppressable stacks in order, frame by frame, each frame's function, file and module against
 * the entries of the report's type (a `race` report's top frames against `race_top` after the
 * whole stack); then a global location's name and module.
 */
export function findTsanSuppression(
  suppressions: readonly TsanSuppression[],
  error: ErrorRecord,
): TsanSuppression | undefined {
  const type = tsanSuppressionType(error.kind);
  if (type === undefined) return undefined;
  const ofType = suppressions.filter((s) => s.type === type);
  const top = type === "race" ? suppressions.filter((s) => s.type === "race_top") : [];
  if (ofType.length === 0 && top.length === 0) return undefined;
  for (const stack of suppressableStacks(error)) {
    for (const frame of stack) {
      const found = firstMatch(ofType, [frame.function, frame.file, frame.object]);
      if (found !== undefined) return found;
    }
    const first = stack[0];
    const found = first && firstMatch(top, [first.function, first.file, first.object]);
    if (found !== undefined) return found;
  }
  const global = globalLocation(error);
  return global && firstMatch(ofType, [global.name, global.module]);
}

function suppressableStacks(error: ErrorRecord): (readonly Frame[])[] {
  const aux = (error.aux ?? []).filter((a) => SUPPRESSABLE_AUX.test(a.message));
  return [error.stack, ...aux.map((a) => a.stack ?? [])];
}

function firstMatch(
  entries: readonly TsanSuppression[],
  names: readonly (string | undefined)[],
): TsanSuppression | undefined {
  for (const name of names) {
    // TSan prints an unknown function or file as `<null>`: it matched nothing.
    if (name === "<null>") continue;
    const found = entries.find((s) => templateMatch(s.pattern, name));
    if (found !== undefined) return found;
  }
  return undefined;
}

function globalLocation(error: ErrorRecord): { name: string; module: string } | undefined {
  const description = error.details?.["description"];
  if (typeof description !== "string") return undefined;
  for (const line of description.split("\n")) {
    const m = GLOBAL_LOCATION.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined && m[1] !== "<null>") {
      return { name: m[1], module: m[2] };
    }
  }
  return undefined;
}
