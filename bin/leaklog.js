#!/usr/bin/env node
// Launcher: runs the compiled CLI. `npm install` builds dist/ through the `prepare` script; if
// that script was not run (npm with ignore-scripts), build once here so a fresh clone still works.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "src", "cli", "main.js");
if (!existsSync(entry)) {
  const build = spawnSync(
    process.execPath,
    [
      join(root, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (build.status === 0) {
    spawnSync(process.execPath, [join(root, "dist", "scripts", "write-schema.js")], {
      stdio: "ignore",
    });
  }
  if (build.status !== 0 || !existsSync(entry)) {
    process.stderr.write("leaklog: not built; run `npm run build` in " + root + "\n");
    process.exit(2);
  }
}
await import(entry);
