import { runCli } from "../../src/cli/run.js";
import { ROOT } from "./golden.js";

/**
 * Runs the CLI in-process with captured output; `cwd` is the repository root unless given, and
 * the environment is empty unless given.
 */
export async function cli(
  args: readonly string[],
  stdin: readonly (string | Uint8Array)[] = [],
  { cwd = ROOT, env = {} }: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: (async function* () {
      yield* stdin;
    })(),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

/**
 * `leaklog diff BASELINE LOG --format json --fail-on new`: its exit code and counts. A baseline
 * written by an older leaklog must read as the run it was written from (fingerprints are
 * computed again from its records when it is loaded).
 */
export async function diffCounts(
  baseline: string,
  log: string,
): Promise<{ code: number; counts: Record<string, number> }> {
  const { code, stdout } = await cli([
    "diff",
    baseline,
    log,
    "--format",
    "json",
    "--fail-on",
    "new",
  ]);
  return { code, counts: (JSON.parse(stdout) as { counts: Record<string, number> }).counts };
}
