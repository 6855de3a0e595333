import type { ErrorRecord, Frame, Group, Source } from "../model/index.js";
import { DEATH_TEST_OPTION, type ForkedDeaths } from "./forked-deaths.js";

/*
 * A GoogleTest death test (`EXPECT_DEATH(crash_with_leak(), "boom")`) forks a child that must
 * die, and Valgrind reports the child's fatal signal in its parent's log: the README's own gate,
 * `--fail-on error,incomplete`, failed a clean suite whose death test passed, where Valgrind's
 * --error-exitcode, GoogleTest and CTest all passed it (campaign cc F1). The death is what the
 * test asserted: a note, as a SIGTERM'd process is a warning (see caseSeverity).
 */

/**
 * The aux line a death test's child's FatalSignal record gets, which says so in the reports and
 * makes it a note (see caseSeverity): also when a report that has it is read back, whose logs'
 * lines no longer show the parent running on.
 */
export const DEATH_TEST_CHILD =
  "<a GoogleTest death test's child: its test expected it to die, and its parent ran on>";

/** GoogleTest's test machinery, which a test's statements run under. */
const TEST_MACHINERY = [
  /^testing::Test::Run\(\)$/,
  /\btesting::internal::HandleExceptionsInMethodIfSupported</,
  // TEST and TEST_F bodies (`ShopDeathTest_Aborts_Test::TestBody()`), typed ones `<int>`.
  /_Test(?:<.*>)?::TestBody\(\)$/,
];

/**
 * Whether a forked child that died was a GoogleTest death test's: its stack runs through
 * GoogleTest's test machinery (a fast-style child dies in the statement `EXPECT_DEATH` runs in
 * the test's body), or its command line has GoogleTest's re-run option (the threadsafe style's
 * child). A stack that `--num-callers` cut before the test's body does not show it.
 */
export function isDeathTestChild(stack: readonly Frame[], command: string | undefined): boolean {
  if (command?.includes(DEATH_TEST_OPTION) === true) return true;
  return stack.some((f) => {
    const name = f.function;
    return name !== undefined && TEST_MACHINERY.some((pattern) => pattern.test(name));
  });
}

/** Whether a record is marked a death test's child's (see DEATH_TEST_CHILD). */
export function markedDeathTestChild(error: {
  aux?: readonly { message: string }[] | undefined;
}): boolean {
  return error.aux?.some((a) => a.message === DEATH_TEST_CHILD) === true;
}

/**
 * Marks the FatalSignal records of death tests' children (forked children whose parents ran on,
 * see ForkedDeaths, that died as isDeathTestChild says) in place: severity note and the
 * DEATH_TEST_CHILD aux line, first, as the text summary shows the aux lines before the first
 * with a stack (a SIGSEGV's `Access not within mapped region`). Returns the groups with those of such records alone made notes
 * too; a group with any other record, or records that `--max-records` left unlisted, keeps its
 * severity. A severityPolicy for FatalSignal wins, as it does over every case of a kind.
 */
export function markDeathTests(
  errors: ErrorRecord[],
  groups: readonly Group[],
  sources: readonly Source[],
  deaths: ForkedDeaths,
): Group[] {
  const byPath = new Map(sources.map((s) => [s.path, s] as const));
  /** By group key, the occurrences of its death tests' records, and of its others. */
  const tally = new Map<string, { marked: number; other: number }>();
  for (const [i, error] of errors.entries()) {
    if (error.kind !== "FatalSignal" || error.suppressed === true) continue;
    const key = `${error.kind}\u0000${error.fingerprint}`;
    const counts = tally.get(key) ?? { marked: 0, other: 0 };
    tally.set(key, counts);
    const already = markedDeathTestChild(error);
    if (!already && !markable(error, byPath, deaths)) {
      counts.other += error.count;
      continue;
    }
    counts.marked += error.count;
    if (!already) errors[i] = asDeathTestChild(error);
  }
  return groups.map((group) => {
    if (group.kind !== "FatalSignal" || group.type !== "error" || group.severity === "none") {
      return group;
    }
    const counts = tally.get(`${group.kind}\u0000${group.fingerprint}`);
    const all = counts !== undefined && counts.other === 0 && counts.marked === group.occurrences;
    if (!all || group.severity === "note") return group;
    return {
      ...group,
      severity: "note",
      aux: [{ message: DEATH_TEST_CHILD }, ...(group.aux ?? [])],
    };
  });
}

function markable(error: ErrorRecord, byPath: ReadonlyMap<string, Source>, deaths: ForkedDeaths) {
  const { path, line } = error.location;
  const source = byPath.get(path);
  if (source?.severityPolicy?.["FatalSignal"] !== undefined) return false;
  if (!deaths.has({ path, pid: error.pid, run: error.run, line })) return false;
  const process = source?.processes.find((p) => p.pid === error.pid && p.run === error.run);
  return isDeathTestChild(error.stack, process?.command);
}

function asDeathTestChild(error: ErrorRecord): ErrorRecord {
  return { ...error, severity: "note", aux: [{ message: DEATH_TEST_CHILD }, ...error.aux] };
}
