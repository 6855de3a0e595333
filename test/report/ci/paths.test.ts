import { describe, expect, it } from "vitest";
import { applyPathMap, mapPath, relativeSourcePath } from "../../../src/analysis/paths.js";
import { checkoutPath } from "../../../src/report/log-location.js";
import { reportOf } from "./helpers.js";

describe("path mapping", () => {
  const rules = [
    { from: "/build/src/vendor", to: "/x/third_party" },
    { from: "/build/src", to: "/x" },
  ];

  it("replaces whole leading segments, the longest prefix first", () => {
    expect(mapPath("/build/src/a.c", rules)).toBe("/x/a.c");
    expect(mapPath("/build/src/vendor/z.c", rules)).toBe("/x/third_party/z.c");
    expect(mapPath("/build/srcx/a.c", rules)).toBe("/build/srcx/a.c");
    expect(mapPath("/build/src", rules)).toBe("/x");
    expect(mapPath("/build/src/a.c", [{ from: "/build/src/", to: "" }])).toBe("a.c");
  });

  it("rewrites frames everywhere and leaves fingerprints alone", async () => {
    const report = await reportOf("valgrind/use_after_free.txt");
    const mapped = applyPathMap(report, [{ from: "use_after_free.c", to: "/x/uaf.c" }]);
    expect(mapped.errors[0]?.stack[0]?.file).toBe("/x/uaf.c");
    expect(mapped.groups[0]?.aux?.[0]?.stack?.[1]?.file).toBe("/x/uaf.c");
    expect(mapped.groups.map((g) => g.fingerprint)).toEqual(
      report.groups.map((g) => g.fingerprint),
    );
    expect(applyPathMap(report, [])).toBe(report);
  });

  it("resolves paths relative to the source root, joining dir for relative files", () => {
    expect(relativeSourcePath({ file: "leak.c", dir: "/r/src" }, { sourceRoot: "/r" })).toBe(
      "src/leak.c",
    );
    expect(relativeSourcePath({ file: "./a/../leak.c" }, { sourceRoot: "/r" })).toBe("leak.c");
    expect(relativeSourcePath({ file: "/elsewhere/leak.c" }, { sourceRoot: "/r" })).toBeUndefined();
    expect(relativeSourcePath({ file: "../rt/x.c" }, { sourceRoot: "/r" })).toBeUndefined();
    expect(relativeSourcePath({ file: "/r/leak.c" })).toBeUndefined();
  });

  it("places source files relative to the working directory when they lie under it", () => {
    // --source-root src in a checkout at /w: GitLab and GitHub want src/a/x.c.
    const sub = { sourceRoot: "/w/src", workingDirectory: "/w" };
    expect(checkoutPath("a/x.c", sub)).toEqual({ path: "src/a/x.c", base: "working-directory" });
    const same = { sourceRoot: "/w", workingDirectory: "/w/" };
    expect(checkoutPath("a/x.c", same)).toEqual({ path: "a/x.c", base: "source-root" });
    const apart = { sourceRoot: "/elsewhere", workingDirectory: "/w" };
    expect(checkoutPath("a/x.c", apart)).toEqual({ path: "a/x.c", base: "source-root" });
    expect(checkoutPath("a/x.c", { sourceRoot: "/w/src" })).toEqual({
      path: "a/x.c",
      base: "source-root",
    });
  });
});
