import type { ProcessInfo, Source } from "../../model/index.js";
import { processId, type ProcessId } from "../../analysis/process-key.js";
import { Ordinals, stableLogPath } from "../stable-log.js";
import { stableCommand } from "./stable-command.js";

/** Longer commands are cut here: a suite name is a heading in the CI's test view. */
const COMMAND_SHOWN = 160;

/**
 * Names suites so that a name stays the same from one run of the job to the next: GitLab keys a
 * test case by its suite's name, classname and name (a case under a new key is a "new failure",
 * and the old key's case "fixed"), and Jenkins follows a case's history through its suite's
 * name. A PID is new every run, so a name carries none: a log's own suite is named by its path
 * with its process's PID written `%p` (as `--log-file=vg.%p.log` asked for it), and a process's
 * by that path and the process's command (`unit_tests --gtest_filter=Parser.Numbers`: CTest runs
 * a test per process; what is new every run in it written as its pattern: see stableCommand), or
 * `process k` where Valgrind printed none (`-q`). Logs or processes alike in that get `#2`, `#3`
 * ... in the order they come, so that no two suites of a report share a name (GitLab would keep
 * one case of each key). One per report.
 */
export class SuiteNames {
  private readonly taken = new Ordinals();

  /**
   * The name of a source's own suite: its stable path. With the raw path, the "readable and
   * complete" case of a `vg.%p.log` that CI killed was a new failure in every merge request,
   * and the old one's went without being resolved (campaign cf F3). But every `vg.%p.log` of a
   * `--trace-children` suite has that one stable path, and their `#2`, `#3` followed glob order,
   * which is PID order: a PID crossing a digit or one test more renumbered them all (campaign cg
   * F4). Such a log adds its process's command, `vg.%p.log [unit_tests]`, as its process suite
   * does (in brackets: `vg.%p.log (unit_tests)` is that suite's name).
   */
  log(source: Source): string {
    const path = stablePath(source);
    const first = source.processes[0];
    const command = path !== source.path ? first?.command : undefined;
    if (first === undefined || command === undefined) return this.unique(path);
    return this.unique(`${path} [${shortCommand(stableCommand(command, first))}]`);
  }

  /** The namer of one source's process suites: its labels and stable path, made once. */
  processes(source: Source): (id: ProcessId, pid: number, run: number | undefined) => string {
    const labels = processLabels(source.processes);
    const path = stablePath(source);
    return (id, pid, run) => {
      const label = labels.get(id) ?? `PID ${pid}${run !== undefined ? `, run ${run}` : ""}`;
      return this.unique(`${path} (${label})`);
    };
  }

  private unique(name: string): string {
    const seen = this.taken.next(name);
    return seen === 1 ? name : `${name} #${seen}`;
  }
}

/** The PID that `--log-file=vg.%p.log` put in the file name is written `%p` again. */
function stablePath(source: Source): string {
  return stableLogPath(source.path, source.processes[0]?.pid);
}

/**
 * Each process's label: its command (the program's file name and its arguments: the directory
 * differs between CI workspaces; a temporary directory or PID in them written as its pattern),
 * numbered where several processes ran the same one (a fork without exec keeps its parent's, and
 * two tests given a fresh `mktemp -d` each are then alike); `process k` without a command. The
 * command as Valgrind printed it is the suite's `command` property.
 */
function processLabels(processes: readonly ProcessInfo[]): Map<ProcessId, string> {
  const commands = processes.map((p) =>
    p.command !== undefined ? shortCommand(stableCommand(p.command, p)) : "",
  );
  const total = new Map<string, number>();
  for (const command of commands) total.set(command, (total.get(command) ?? 0) + 1);
  const seen = new Ordinals();
  const labels = new Map<ProcessId, string>();
  processes.forEach((process, index) => {
    const command = commands[index] as string;
    const nth = seen.next(command);
    const label =
      command === ""
        ? `process ${index + 1}`
        : (total.get(command) ?? 0) > 1
          ? `${command} #${nth}`
          : command;
    labels.set(processId(process), label);
  });
  return labels;
}

function shortCommand(command: string): string {
  const space = command.indexOf(" ");
  const program = space < 0 ? command : command.slice(0, space);
  const short =
    program.slice(program.lastIndexOf("/") + 1) + (space < 0 ? "" : command.slice(space));
  return short.length > COMMAND_SHOWN ? `${short.slice(0, COMMAND_SHOWN - 1)}…` : short;
}
