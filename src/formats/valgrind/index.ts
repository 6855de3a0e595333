import type { InputFormat } from "../types.js";
import { splitPrefix } from "./prefix.js";
import { ValgrindTextParser } from "./text-parser.js";
import { watchingOtherForm } from "../mixed-forms.js";

/** `==PID== Memcheck, a memory error detector` or any memcheck line with a PID prefix. */
function detect(head: readonly string[]): number {
  let prefixed = 0;
  for (const line of head) {
    const p = splitPrefix(line);
    if (p === undefined) continue;
    if (
      /^(?:Memcheck, a memory error detector|Using Valgrind-|HEAP SUMMARY:|LEAK SUMMARY:|ERROR SUMMARY:)/.test(
        p.body,
      )
    )
      return 1;
    // ASan shares the `==PID==` prefix but says so in its headline.
    if (
      /^(?:ERROR|WARNING): (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer/.test(p.body)
    )
      return 0;
    prefixed += 1;
  }
  return prefixed >= 3 ? 0.5 : 0;
}

/** Valgrind memcheck text logs (`--log-file`, or stderr mixed with the program's output). */
export const valgrindText: InputFormat = {
  id: "valgrind",
  embeds: "sanitizer",
  description: "Valgrind memcheck text log (--log-file or stderr), any number of PIDs",
  detect,
  createParser: (sink, reuse, logPath) =>
    new ValgrindTextParser(watchingOtherForm(sink, "text"), reuse, logPath),
};
