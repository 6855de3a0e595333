/**
 * The element vocabulary of Valgrind's XML output, protocols 4 to 6
 * (docs/internals/xml-output-protocol4.txt, -5.txt, -6.txt), as far as nesting is concerned.
 * It drives two repairs and nothing else: which text is Valgrind's (inside a leaf) and which is
 * the program's (between elements), and where an unclosed element must have ended.
 * Elements not listed are unknown: kept, never auto-closed by a child.
 */

/** The document element. */
export const ROOT = "valgrindoutput";

/** Elements that only ever hold child elements: text found directly inside is not Valgrind's. */
export const CONTAINERS: ReadonlySet<string> = new Set([
  ROOT,
  "preamble",
  "args",
  "vargv",
  "argv",
  "status",
  "error",
  "xwhat",
  "xauxwhat",
  "stack",
  "frame",
  "suppression",
  "sframe",
  "errorcounts",
  "suppcounts",
  "pair",
  "fatal_signal",
  "clientmsg",
  "origin",
  "error_summary",
  "heap_summary",
  "memory_in_use_at_exit",
  "total_heap_usage",
  "leak_summary",
  "definitely_lost",
  "indirectly_lost",
  "possibly_lost",
  "still_reachable",
  "reachable_heuristic",
]);

/** The root's children that make up a document's preamble, before any status or error. */
export const PREAMBLE_RECORDS: ReadonlySet<string> = new Set([
  "protocolversion",
  "protocoltool",
  "preamble",
  "pid",
  "ppid",
  "tool",
  "args",
  "logfilequalifier",
]);

/** Children of the root: each is one record, interpreted when it closes. */
const TOP_LEVEL = [
  ...PREAMBLE_RECORDS,
  "usercomment",
  "status",
  "error",
  "errorcounts",
  "suppcounts",
  "fatal_signal",
  "clientmsg",
  "error_summary",
  "heap_summary",
  "all_heap_blocks_freed",
  "leak_summary",
];

const TOP_LEVEL_SET: ReadonlySet<string> = new Set(TOP_LEVEL);

const AMOUNT_HOLDERS = [
  "memory_in_use_at_exit",
  "definitely_lost",
  "indirectly_lost",
  "possibly_lost",
  "still_reachable",
  "suppressed",
  "reachable_heuristic",
];

const LEAK_KINDS = ["definitely_lost", "indirectly_lost", "possibly_lost", "still_reachable"];

/** The elements each known element may sit in. */
export const PARENTS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...TOP_LEVEL.map((name) => [name, [ROOT]] as const),
  ["line", ["preamble", "frame", "xauxwhat"]],
  ["vargv", ["args"]],
  ["argv", ["args"]],
  ["exe", ["vargv", "argv"]],
  ["arg", ["vargv", "argv"]],
  ["state", ["status"]],
  ["time", ["status"]],
  ["unique", ["error", "pair"]],
  ["tid", ["error", "fatal_signal", "clientmsg"]],
  ["threadname", ["error", "fatal_signal", "clientmsg"]],
  ["kind", ["error", "reachable_heuristic"]],
  ["what", ["error", "origin"]],
  ["xwhat", ["error"]],
  ["auxwhat", ["error"]],
  ["xauxwhat", ["error"]],
  ["origin", ["error"]],
  ["fd", ["error"]],
  ["path", ["error"]],
  ["stack", ["error", "fatal_signal", "clientmsg", "origin"]],
  ["suppression", ["error"]],
  ["text", ["xwhat", "xauxwhat", "clientmsg"]],
  ["leakedbytes", ["xwhat"]],
  ["leakedblocks", ["xwhat"]],
  ["frame", ["stack"]],
  ["ip", ["frame"]],
  ["obj", ["frame", "sframe"]],
  ["fn", ["frame"]],
  ["dir", ["frame", "xauxwhat"]],
  ["file", ["frame", "xauxwhat"]],
  ["sname", ["suppression"]],
  ["skind", ["suppression"]],
  ["skaux", ["suppression"]],
  ["sframe", ["suppression"]],
  ["rawtext", ["suppression"]],
  ["fun", ["sframe"]],
  ["pair", ["errorcounts", "suppcounts"]],
  ["count", ["pair"]],
  ["name", ["pair"]],
  ["signo", ["fatal_signal"]],
  ["signame", ["fatal_signal"]],
  ["sicode", ["fatal_signal"]],
  ["event", ["fatal_signal"]],
  ["siaddr", ["fatal_signal"]],
  ["errors", ["error_summary"]],
  ["error_contexts", ["error_summary"]],
  ["suppressed_contexts", ["error_summary"]],
  ["suppressed", ["error_summary", "leak_summary"]],
  ["memory_in_use_at_exit", ["heap_summary"]],
  ["total_heap_usage", ["heap_summary"]],
  ["allocs", ["total_heap_usage"]],
  ["frees", ["total_heap_usage"]],
  ["bytes_allocated", ["total_heap_usage"]],
  ...LEAK_KINDS.map((name) => [name, ["leak_summary"]] as const),
  ["reachable_heuristic", ["still_reachable"]],
  ["bytes", AMOUNT_HOLDERS],
  ["blocks", AMOUNT_HOLDERS],
  ["in_blocks", AMOUNT_HOLDERS],
]);

/**
 * Containers whose children are interpreted one by one as they close, instead of the whole
 * container at once: `<errorcounts>` lists one `<pair>` per error context, as many as there
 * are `<error>`s, so holding it whole would make memory grow with the log.
 */
export const STREAMED: ReadonlySet<string> = new Set(["errorcounts", "suppcounts"]);

/**
 * Elements whose content is copied raw, markup included: Valgrind writes
 * `--xml-user-comment=STR` unescaped (m_main.c), so it may hold any markup or a bare `<`.
 */
export const RAW: ReadonlySet<string> = new Set(["usercomment"]);

/**
 * Elements that hold a message's words and never an element: markup in them is words Valgrind
 * did not escape (3.23+ writes `<what>Open AF_INET socket 6: <unbound> <-> <unbound></what>`).
 */
export const WORDS: ReadonlySet<string> = new Set(["what", "auxwhat", "text"]);

/** True when `name` may only appear as a child of the root (a new record starts). */
export function isTopLevel(name: string): boolean {
  return TOP_LEVEL_SET.has(name);
}

/**
 * The known elements that only hold text (`<ip>`, `<fn>`...), with the elements they may sit
 * in: one lookup tells the tree builder that a one-line leaf needs no repair.
 */
export const LEAF_PARENTS: ReadonlyMap<string, readonly string[]> = new Map(
  [...PARENTS].filter(([name]) => !isTopLevel(name) && !CONTAINERS.has(name) && !RAW.has(name)),
);

/**
 * LEAF_PARENTS inverted: the leaves each element may hold. The tree builder looks up its open
 * element's set when the element changes, so that a leaf line costs one Set lookup.
 */
export const LEAVES_OF: ReadonlyMap<string, ReadonlySet<string>> = (() => {
  const leaves = new Map<string, Set<string>>();
  for (const [name, parents] of LEAF_PARENTS) {
    for (const parent of parents) {
      const set = leaves.get(parent) ?? new Set<string>();
      leaves.set(parent, set.add(name));
    }
  }
  return leaves;
})();
