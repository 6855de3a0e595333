#!/usr/bin/env node
// Launcher: runs the compiled CLI. `npm install` builds dist/ through the `prepare` script; if
// that script was not run (npm with ignore-scripts), build once here so a fresh clone still works.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "src", "cli", "main.js");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
if (!existsSync(entry) && !existsSync(tsc)) {
  // Nothing to build with: a clone before `npm install`, or an installed package without
  // dist/ (a git install with --ignore-scripts, which leaves no sources either). tsc's own
  // stack trace said nothing of that.
  process.stderr.write(
    `leaklog: not built: ${root} has no dist/ and no TypeScript compiler to build it; run npm install there (a git install with --ignore-scripts leaves it so: install it again with scripts allowed)\n`,
  );
  process.exit(2);
}
if (!existsSync(entry)) {
  const build = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], {
    stdio: ["ignore", "ignore", "inherit"],
  });
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
// A URL, not a path: a path is read as a URL's text, and an install under a directory named
// `build#2` or `50%` failed to start (and a Windows path is no URL at all). The CLI settles its
// own failures; what reaches here failed to load it. Node's loader opens the whole import graph
// at once (zod's locale files among it), so under `ulimit -n 64` loading alone ran out of
// descriptors and printed a stack trace, with exit 1, leaklog's "a gate failed".
try {
  await import(pathToFileURL(entry).href);
} catch (error) {
  const code = error?.code;
  // Out of descriptors, the resolver may say a package it could not open is missing.
  const named = /'([^']+)'/.exec(error?.message ?? "")?.[1];
  const missingButThere =
    code === "ERR_MODULE_NOT_FOUND" &&
    named !== undefined &&
    (existsSync(named) || existsSync(join(named, "..", "package.json")));
  const loadError = `cannot load ${entry}: ${error?.message ?? String(error)}`.split("\n")[0];
  const why =
    code === "EMFILE" || code === "ENFILE"
      ? "too many open files while loading leaklog's modules: raise the open-file limit (ulimit -n 256)"
      : missingButThere
        ? `${loadError} (the package is there: if the open-file limit is low, raise it: ulimit -n 256)`
        : loadError;
  process.stderr.write(`leaklog: ${why}\n`);
  process.exit(2);
}
