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
