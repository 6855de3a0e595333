import { cannotThrowMessage } from "../../grammars/valgrind/failure-lines.js";
import type { ParseSink } from "./types.js";

/**
 * A client message (`**PID**` in a text log, `<clientmsg>` in XML): `new` failed, and Valgrind,
 * which cannot throw std::bad_alloc for the program, ended it instead. The program ran no
 * further (a C++ program that catches bad_alloc read as clean and complete, its later code
 * never run): a `valgrind-failed` warning, and the source is incomplete.
 */
export function warnIfCannotThrow(
  sink: ParseSink,
  text: string,
  pid: number | undefined,
  lineNo: number,
): void {
  const failed = cannotThrowMessage(text);
  if (failed === undefined) return;
  const whose = pid !== undefined ? `PID ${pid}: ` : "";
  const which = failed.aligned ? "an aligned new/new[]" : "a new/new[]";
  sink.incomplete(
    `${whose}${which} failed, and Valgrind, which cannot throw the std::bad_alloc the program would have caught, ended the program there (exit code 1): what it would have done next was not checked`,
    lineNo,
    "valgrind-failed",
  );
}
