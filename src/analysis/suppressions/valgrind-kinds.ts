import type { ErrorRecord, LeakKind } from "../../model/index.js";
import type { Reader, ValgrindLeakKind } from "./valgrind.js";

/*
 * The suppression kinds Memcheck recognises (memcheck/mc_errors.c, MC_(is_recognised_suppression))
 * and which of leaklog's error kinds each one suppresses (MC_(error_matches_suppression)). Kinds
 * are the XML kind names leaklog uses; sizes come from the headline ("Invalid read of size 4").
 */

/** What the kind tests read of an error: a parser's draft has it too (formats/valgrind/block-owner). */
export type KindedError = Pick<ErrorRecord, "kind" | "message">;

type ErrorTest = (error: KindedError, extra: string | undefined) => boolean;

const is =
  (...kinds: string[]): ErrorTest =>
  (error) =>
    kinds.includes(error.kind);

const sized =
  (size: number, ...kinds: string[]): ErrorTest =>
  (error) =>
    kinds.includes(error.kind) && sizeOf(error) === size;

const MEMCHECK_KINDS: Readonly<Record<string, ErrorTest>> = {
  // Err_RegParam / Err_MemParam, and the syscall line must be the same string (VG_STREQ).
  Param: (error, extra) => error.kind === "SyscallParam" && syscallParam(error) === extra,
  User: is("ClientCheck"),
  // Core memory errors have no leaklog kind: the entry is valid but matches nothing here.
  CoreMem: () => false,
  Jump: is("InvalidJump"),
  Free: is("InvalidFree", "MismatchedFree"),
  Overlap: is("Overlap"),
  Mempool: is("InvalidMemPool"),
  Cond: is("UninitCondition"),
  Value0: is("UninitCondition"), // "backwards compat" in mc_errors.c
  FishyValue: (error, extra) => error.kind === "FishyValue" && fishyValue(error) === extra,
  ReallocZero: is("ReallocSizeZero"),
  // The 3.22+ alignment and size checks (aligned_alloc, sized and aligned delete). Err_BadAlign
  // prints InvalidSizeAndAlignment when the size is wrong too; SizeMismatch and AlignMismatch
  // are the Mismatched* kinds, which Valgrind 3.24 and 3.27 generated for those errors and
  // suppressed them with (they matched nothing here: campaign bw F4).
  BadAlign: is("InvalidAlignment", "InvalidSizeAndAlignment"),
  BadSize: is("InvalidSize"),
  // 3.26's name for BadSize, which it generates; it still reads BadSize (campaign bw F3).
  UnsafeZeroSize: is("InvalidSize"),
  SizeMismatch: is("MismatchedAllocateDeallocateSize"),
  AlignMismatch: is("MismatchedAllocateDeallocateAlignment"),
  // Leaks are matched on their kind, not here.
  Leak: () => false,
};
for (const size of [1, 2, 4, 8, 16, 32]) {
  (MEMCHECK_KINDS as Record<string, ErrorTest>)[`Addr${size}`] = sized(
    size,
    "InvalidRead",
    "InvalidWrite",
  );
  (MEMCHECK_KINDS as Record<string, ErrorTest>)[`Value${size}`] = sized(size, "UninitValue");
}

/** Core errors (`CoreError:FdNotClosed`, Valgrind 3.22+ with `--track-fds`). */
const CORE_KINDS: ReadonlySet<string> = new Set(["FdBadClose", "FdNotClosed", "FdBadUse"]);

/** The tool names an entry must list to concern Memcheck (m_errormgr.c's tool_name_present). */
export const MEMCHECK_TOOLS = ["Memcheck", "CoreError"] as const;

/**
 * True when the entry is for Memcheck or the core; false for other tools' entries (skipped).
 * An unknown kind for a listed tool is an error, as in Valgrind ("unknown tool suppression type").
 */
export function recogniseKind(
  tools: readonly string[],
  kind: string,
  line: number,
  reader: Reader,
): boolean {
  // Valgrind knows no kind of the tool name `core` (only older ones had `core:PThread`): it
  // refuses the file, where such an entry was skipped here as another tool's.
  if (tools.includes("core"))
    reader.fail(`unknown core suppression type ${JSON.stringify(kind)}`, line);
  if (tools.includes("CoreError")) {
    if (CORE_KINDS.has(kind)) return true;
    if (!tools.includes("Memcheck"))
      reader.fail(`unknown core suppression type ${JSON.stringify(kind)}`, line);
  }
  if (!tools.includes("Memcheck")) return false;
  if (Object.hasOwn(MEMCHECK_KINDS, kind)) return true;
  return reader.fail(
    `unknown Memcheck suppression type ${JSON.stringify(kind)} (expected Leak, Cond, Addr4, Value8, Param, Free, ...)`,
    line,
  );
}

/** What MC_(read_extra_suppression_info) reads after the kind line. */
export interface ExtraInfo {
  extra?: string;
  leakKinds?: ValgrindLeakKind[];
}

const LEAK_TOKENS: readonly ValgrindLeakKind[] = ["definite", "indirect", "possible", "reachable"];

/**
 * Param takes the syscall line (`write(buf)`), FishyValue a `function(argument)` line, Leak an
 * optional `match-leak-kinds:` line; other kinds go straight to the stack.
 */
export function readExtraLine(kind: string, reader: Reader): ExtraInfo {
  if (kind === "Param") {
    const line = reader.next("expecting the syscall parameter line of a Param suppression");
    if (line.text === "}" || isLocation(line.text)) {
      reader.fail(
        "a Param suppression needs the syscall parameter line (e.g. write(buf))",
        line.no,
      );
    }
    return { extra: line.text };
  }
  if (kind === "FishyValue") {
    const line = reader.next("expecting function(argument) of a FishyValue suppression");
    if (!/^[^()]+\([^()]*\)$/.test(line.text)) {
      reader.fail(
        `a FishyValue suppression needs a "function(argument)" line, found ${JSON.stringify(line.text)}`,
        line.no,
      );
    }
    return { extra: line.text };
  }
  if (kind !== "Leak") return {};
  const line = reader.peek();
  if (line === undefined || !line.text.startsWith("match-leak-kinds:"))
    return { leakKinds: [...LEAK_TOKENS] };
  reader.next("");
  return {
    leakKinds: parseLeakKinds(line.text.slice("match-leak-kinds:".length), line.no, reader),
  };
}

/**
 * VG_(parse_enum_set) with allow_all: a comma list of kinds, or `all`, or `none`. Blanks are
 * skipped before the list only: `definite, possible` is refused ("bad or missing extra
 * suppression info"), and the whole file with it.
 */
function parseLeakKinds(list: string, line: number, reader: Reader): ValgrindLeakKind[] {
  const tokens = list.trimStart().split(",");
  if (tokens.length === 1 && tokens[0] === "all") return [...LEAK_TOKENS];
  if (tokens.length === 1 && tokens[0] === "none") return [];
  const kinds: ValgrindLeakKind[] = [];
  for (const token of tokens) {
    if (!(LEAK_TOKENS as readonly string[]).includes(token)) {
      const blank = token.trim() !== token ? " (no blank after a comma: Valgrind refuses it)" : "";
      reader.fail(
        `bad match-leak-kinds ${JSON.stringify(token)}: expected definite, indirect, possible, reachable, all or none${blank}`,
        line,
      );
    }
    kinds.push(token as ValgrindLeakKind);
  }
  return kinds;
}

function isLocation(text: string): boolean {
  return text === "..." || /^(fun|obj|src):/.test(text);
}

/** True when the entry's kind covers the error (stack not considered). */
export function kindMatchesError(
  kind: string,
  extra: string | undefined,
  error: KindedError,
): boolean {
  if (CORE_KINDS.has(kind)) return error.kind === kind;
  return MEMCHECK_KINDS[kind]?.(error, extra) ?? false;
}

/** leaklog's leak kinds in `match-leak-kinds:` words. */
export const LEAK_TOKEN_OF: Readonly<Partial<Record<LeakKind, ValgrindLeakKind>>> = {
  "definitely-lost": "definite",
  "indirectly-lost": "indirect",
  "possibly-lost": "possible",
  "still-reachable": "reachable",
};

/** The access or value size of `Invalid read of size 4`, `Use of uninitialised value of size 8`. */
export function sizeOf(error: KindedError): number | undefined {
  const m = /of size (\d+)/.exec(error.message);
  return m === null ? undefined : Number(m[1]);
}

/** `write(buf)` of `Syscall param write(buf) points to uninitialised byte(s)`: the error string. */
export function syscallParam(error: KindedError): string | undefined {
  return /^Syscall param (\S+)/.exec(error.message)?.[1];
}

/** `malloc(size)` of `Argument 'size' of function malloc has a fishy ... value`. */
export function fishyValue(error: KindedError): string | undefined {
  const m = /^Argument '([^']*)' of function (\S+) has a fishy/.exec(error.message);
  return m === null ? undefined : `${m[2]}(${m[1]})`;
}
