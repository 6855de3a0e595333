import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Tests that run the real `leaklog` bin (a child process, worker threads, signals) need the
 * compiled code to be the code under test: compile once before the run.
 */
export default function setup(): void {
  const root = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
    ],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
}
