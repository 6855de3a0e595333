import { generateLsanSuppressions } from "../analysis/suppressions/lsan-generate.js";
import { generateValgrindSuppressions } from "../analysis/suppressions/valgrind-generate.js";
import { summarize } from "../api/summarize.js";
import { loadInputs } from "./load.js";
import { checkOutputPath } from "./path-checks.js";
import type { SuppressionsOptions } from "./options.js";
import type { CliIO } from "./run.js";
import { writeOutput } from "./write-output.js";

/**
 * `leaklog suppressions FILES`: one suppression per group that still counts, for Valgrind
 * (`--suppressions=FILE`, the default) or LeakSanitizer (`--for lsan`, `leak:` lines). Exit 0,
 * or 2 when an input is unusable.
 */
export async function suppressionsCommand(
  options: SuppressionsOptions,
  io: CliIO,
): Promise<number> {
  await checkOutputPath(options.output, options.inputs, io.cwd);
  const results = await loadInputs(options.inputs, options.inputFormat, io, options.allowEmpty, [
    options.output,
  ]);
  if (results.every((r) => r.fatal !== undefined)) return 2;
  const report = summarize(results);
  const text =
    options.for === "lsan"
      ? generateLsanSuppressions(report)
      : generateValgrindSuppressions(report);
  if (options.output !== undefined) await writeOutput(options.output, io.cwd, [text]);
  else io.stdout.write(text);
  return results.some((r) => r.fatal !== undefined) ? 2 : 0;
}
