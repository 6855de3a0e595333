import { readFileSync } from "node:fs";

/** leaklog's version, read once from package.json (two levels up from src/ and dist/src/). */
export const VERSION: string = readVersion();

function readVersion(): string {
  for (const relative of ["../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "leaklog" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}
