import type { RegisteredDiagnostic, Source } from "../model/index.js";
import type { ProcessFindings } from "./process-findings.js";

/**
 * Processes whose findings two inputs both hold: automake's `test-suite.log` repeats the logs of
 * the failing tests, so `leaklog summarize "tests/*.log"` counted every finding of theirs twice
 * (seen with automake 1.16's parallel harness and valgrind 3.19), and a report merged with one
 * of its own logs does the same. Each such process gets one warning; nothing is dropped, since
 * two runs in fresh containers can truly repeat a PID and its findings.
 *
 * A process is the same in two inputs when it has the same PID, the same command where both
 * name one, and the same findings: as many, in the same groups (type, kind, stack) with the same
 * loss record numbers (see FindingsByProcess); bytes are not compared.
 */
export function repeatedProcesses(
  sources: readonly Source[],
  counted: readonly ProcessFindings[],
): RegisteredDiagnostic[] {
  // One input repeats no process of another; its PIDs alone were a 5 MiB map (43,000
  // processes in a 2 GB log) made at the end of the run.
  if (sources.length < 2) return [];
  const shared = pidsInSeveralSources(sources);
  if (shared.size === 0) return [];
  const alike = new Map<string, ProcessFindings[]>();
  for (const process of counted) {
    if (!shared.has(process.pid)) continue;
    const signature = `${process.pid} ${process.count} ${process.sum1} ${process.sum2}`;
    const same = alike.get(signature);
    if (same === undefined) alike.set(signature, [process]);
    else same.push(process);
  }
  const commands = commandsOf(sources, shared);
  // By the inputs that hold them: a log given twice repeats every process of it, in one warning.
  const byInputs = new Map<string, Repeat[]>();
  for (const processes of alike.values()) {
    if (processes.length < 2) continue;
    const { pid, count } = processes[0] as ProcessFindings;
    const paths = processes.map((p) => p.path);
    const named = new Set(paths.map((path) => commands.get(path)?.get(pid)));
    named.delete(undefined);
    if (named.size > 1) continue;
    const [command] = named;
    const key = paths.join("\u0000");
    const repeat = { pid, count, command, paths };
    const repeats = byInputs.get(key);
    if (repeats === undefined) byInputs.set(key, [repeat]);
    else repeats.push(repeat);
  }
  return [...byInputs.values()].map(warning);
}

/** A process that several inputs hold with the same findings. */
interface Repeat {
  pid: number;
  count: number;
  command: string | undefined;
  paths: readonly string[];
}

const WHY =
  "which count once per input: one log repeats the other (automake's test-suite.log repeats the failing tests' logs), or two runs had the same PID and findings";

/** The warning for the processes that the same inputs repeat. */
function warning(repeats: readonly Repeat[]): RegisteredDiagnostic {
  const { pid, count, command, paths } = repeats[0] as Repeat;
  const where = { path: paths[paths.length - 1] as string };
  if (repeats.length === 1) {
    const findings = count === 1 ? "finding" : `${count} findings`;
    return {
      severity: "warning",
      code: "repeated-process",
      message: `process ${pid}${command !== undefined ? ` (${command})` : ""} is in ${listed(paths)} with the same ${findings} (kinds and stacks), ${WHY}`,
      ...where,
      pid,
    };
  }
  const pids = repeats.map((r) => String(r.pid));
  const named =
    pids.length <= MAX_NAMED_PIDS
      ? pids.join(", ")
      : `${pids.slice(0, MAX_NAMED_PIDS).join(", ")} and ${(pids.length - MAX_NAMED_PIDS).toLocaleString("en-US")} more`;
  return {
    severity: "warning",
    code: "repeated-process",
    message: `${repeats.length.toLocaleString("en-US")} processes (PIDs ${named}) are each in ${listed(paths)} with the same findings (kinds and stacks), ${WHY}`,
    ...where,
  };
}

/** PIDs named in one warning for many processes. */
const MAX_NAMED_PIDS = 10;

/** Inputs named in one warning; the rest are counted (a CTest run can repeat a PID in hundreds). */
const MAX_NAMED_INPUTS = 5;

function listed(paths: readonly string[]): string {
  if (paths.length <= MAX_NAMED_INPUTS) return paths.join(" and ");
  const named = paths.slice(0, MAX_NAMED_INPUTS - 1).join(", ");
  return `${named} and ${(paths.length - MAX_NAMED_INPUTS + 1).toLocaleString("en-US")} more inputs`;
}

/** PIDs that more than one source names: only their processes are compared. */
function pidsInSeveralSources(sources: readonly Source[]): Set<number> {
  const firstSource = new Map<number, string>();
  const shared = new Set<number>();
  for (const source of sources) {
    for (const { pid } of source.processes) {
      const first = firstSource.get(pid);
      if (first === undefined) firstSource.set(pid, source.path);
      else if (first !== source.path) shared.add(pid);
    }
  }
  return shared;
}

/** The command of each shared PID's process in each input, where its log names one. */
function commandsOf(
  sources: readonly Source[],
  shared: ReadonlySet<number>,
): Map<string, Map<number, string>> {
  const commands = new Map<string, Map<number, string>>();
  for (const source of sources) {
    for (const { pid, command } of source.processes) {
      if (command === undefined || !shared.has(pid)) continue;
      let byPid = commands.get(source.path);
      if (byPid === undefined) {
        byPid = new Map();
        commands.set(source.path, byPid);
      }
      if (!byPid.has(pid)) byPid.set(pid, command);
    }
  }
  return commands;
}
