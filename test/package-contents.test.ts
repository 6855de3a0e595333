import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/golden.js";

/** The files `npm pack` puts in the package (dist/ as the last build left it). */
function packedFiles(): Set<string> {
  // --ignore-scripts: `prepare` would rebuild dist/ while other tests read it.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set((pack?.files ?? []).map((f) => f.path));
}

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
}

describe("the npm package", () => {
  it("ships each source map its JavaScript names, with the sources inside", () => {
    // The maps were left out while every .js still named one: bundlers' source-map loaders
    // warned of each missing file, and a map naming ../src/*.ts would point at unshipped files.
    const files = packedFiles();
    const scripts = [...files].filter((f) => f.startsWith("dist/") && f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(100);
    for (const script of scripts) {
      const named = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(
        readFileSync(join(ROOT, script), "utf8"),
      );
      if (named === null) continue;
      const mapPath = join(script, "..", named[1] as string);
      expect(files.has(mapPath), `${mapPath} is named by ${script}`).toBe(true);
      const map = JSON.parse(readFileSync(join(ROOT, mapPath), "utf8")) as SourceMap;
      expect(map.sourcesContent?.length, mapPath).toBe(map.sources.length);
      expect(map.sourcesContent?.every((text) => typeof text === "string")).toBe(true);
    }
  });

  it("leaves out the benchmark and the development scripts", () => {
    const files = [...packedFiles()];
    expect(files.filter((f) => /^dist\/(bench|scripts|test)\//.test(f))).toEqual([]);
    expect(files).toContain("dist/src/index.js");
    expect(files).toContain("dist/leaklog.schema.json");
  });
});
