import type { RegisteredDiagnostic, Group, Source } from "../model/index.js";
import { commandOf, processKey, splitProcessKey } from "./input-processes.js";

/**
 * Processes whose findings two inputs both hold: automake's `test-suite.log` repeats the logs of
 * the failing tests, so `leaklog summarize "tests/*.log"` counted every finding of theirs twice
 * (seen with automake 1.16's parallel harness and valgrind 3.19), and a report merged with one
 * of its own logs does the same. Each such process gets one warning; nothing is dropped, since
 * two runs in fresh containers can truly repeat a PID and its findings.
 *
 * A process is the same in two inputs when it has the same PID, the same command where both
 * name one, and the same findings: the same groups (type, kind, stack) with the same loss record
 * numbers; group members keep no amounts, so bytes are not compared. Groups
 * keep their first 20 members, so a process past that cap in a big group can go unnoticed;
 * the check only ever misses, it does not guess.
 */
export function repeatedProcesses(
  groups: readonly Group[],
  sources: readonly Source[],
): RegisteredDiagnostic[] {
  const shared = pidsInSeveralSources(sources);
  if (shared.size === 0) return [];
  const findings = findingsByProcess(groups, shared);
  const inputsOf = new Map<string, string[]>();
  for (const [key, list] of findings) {
    const { pid, path } = splitProcessKey(key);
    const signature = `${pid}\n${list.sort().join(",")}`;
    const paths = inputsOf.get(signature);
    if (paths === undefined) inputsOf.set(signature, [path]);
    else paths.push(path);
  }
  const diagnostics: RegisteredDiagnostic[] = [];
  for (const [signature, paths] of inputsOf) {
    if (paths.length < 2) continue;
    const pid = Number(signature.slice(0, signature.indexOf("\n")));
    const commands = new Set(paths.map((path) => commandOf(sources, path, pid)));
    commands.delete(undefined);
    if (commands.size > 1) continue;
    const [command] = commands;
    const count = findings.get(processKey(paths[0] as string, pid))?.length ?? 0;
    diagnostics.push({
      severity: "warning",
      code: "repeated-process",
      message: `process ${pid}${command !== undefined ? ` (${command})` : ""} is in ${paths.join(" and ")} with the same ${count === 1 ? "finding" : `${count} findings`} (kinds and stacks), which count once per input: one log repeats the other (automake's test-suite.log repeats the failing tests' logs), or two runs had the same PID and findings`,
      path: paths[paths.length - 1] as string,
      pid,
    });
  }
  return diagnostics;
}

/**
 * PIDs that more than one source names: only their members need a look (a single log, the
 * usual input, costs nothing; walking the 119,078 members of the 105 MB bench log's groups took
 * 190 ms).
 */
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

/**
 * Per process of an input (`pid \0 path`) among the `shared` PIDs, a token per finding: its
 * group and loss record.
 */
function findingsByProcess(
  groups: readonly Group[],
  shared: ReadonlySet<number>,
): Map<string, string[]> {
  const findings = new Map<string, string[]>();
  for (const [index, group] of groups.entries()) {
    if (group.baseline === "fixed") continue;
    for (const member of group.members) {
      if (member.pid === undefined || !shared.has(member.pid)) continue;
      const key = processKey(member.path, member.pid);
      const record = member.lossRecord !== undefined ? `/${member.lossRecord.index}` : "";
      const list = findings.get(key);
      if (list === undefined) findings.set(key, [`${index}${record}`]);
      else list.push(`${index}${record}`);
    }
  }
  return findings;
}
