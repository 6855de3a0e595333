import { isNotStartedLine } from "../../grammars/valgrind/failure-lines.js";

/*
 * Files that sit beside memory checkers' logs and are no log at all: the other Valgrind tools'
 * profiles (`valgrind --tool=massif` writes `massif.out.PID` beside the log), CTest's own logs
 * beside its `MemoryChecker.N.log`. Named when they are refused, so that a glob that caught one
 * says what it caught rather than only "not a log".
 */

/** A known other output: how to tell it by its first non-blank lines, and what to say of it. */
interface OtherOutput {
  code: "other-tool" | "unknown-format" | "valgrind-failed";
  message: string;
  test: (head: readonly string[]) => boolean;
}

/** The other Valgrind tools' profiles: their code and wording are other-tool's (see OtherTools). */
function profile(tool: string, reader: string, test: OtherOutput["test"]): OtherOutput {
  return {
    code: "other-tool",
    message: `a ${tool} profile (valgrind --tool=${tool.toLowerCase()}; ${reader} reads it), not Memcheck's log: leaklog reads Valgrind Memcheck logs (text or XML), and Helgrind's or DRD's as XML`,
    test,
  };
}

const OTHER_OUTPUTS: readonly OtherOutput[] = [
  profile("DHAT", "dh_view.html", (head) => head[0]?.startsWith('{"dhatFileVersion"') === true),
  profile(
    "Massif",
    "ms_print",
    (head) =>
      head[0]?.startsWith("desc: ") === true && head.some((l) => l.startsWith("time_unit: ")),
  ),
  profile(
    "Callgrind",
    "callgrind_annotate",
    (head) =>
      head[0] === "# callgrind format" || head.some((l) => l.startsWith("creator: callgrind-")),
  ),
  profile(
    "Cachegrind",
    "cg_annotate",
    (head) =>
      head[0]?.startsWith("desc: ") === true && head.some((l) => /^(?:events|cmd): /.test(l)),
  ),
  {
    code: "unknown-format",
    message:
      "CTest's own test log, and no memory checker's output is in it: after ctest -T memcheck give leaklog its Testing/Temporary/MemoryChecker.*.log files; for a sanitizer build this is a clean run (the sanitizers print nothing then), so gate on log_path files or each test's stderr with --allow-empty",
    test: (head) => head[0]?.startsWith("Start testing: ") === true,
  },
];

/**
 * Why an input no format reads is refused, when Valgrind's launcher refused to start (its
 * `valgrind: Unknown option: ...` line, quoted): a log of nothing but that was "not a log".
 * `valgrind-failed`, as Valgrind's failures to start are where a log has other lines: a CI
 * script that filters on codes finds them under one (campaign cb1 Q5).
 */
function notStarted(head: readonly string[]): OtherOutput | undefined {
  const line = head.find(isNotStartedLine);
  if (line === undefined) return undefined;
  return {
    code: "valgrind-failed",
    message: `Valgrind did not start the program ("${line}"): no log was written`,
    test: () => true,
  };
}

/** Why an input no format reads is refused, when it is a known other output. */
export function otherOutput(
  lines: readonly string[],
): { code: OtherOutput["code"]; message: string } | undefined {
  const head = lines.filter((l) => l.trim() !== "").slice(0, 8);
  const known = OTHER_OUTPUTS.find((o) => o.test(head)) ?? notStarted(head);
  return known === undefined ? undefined : { code: known.code, message: known.message };
}
