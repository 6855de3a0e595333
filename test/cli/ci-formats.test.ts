import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";

const MEMLEAX = "samples/memleax/02-multi-stacks-malloc-calloc-realloc.log";

interface Sarif {
  runs: {
    originalUriBaseIds: Record<string, { uri?: string }>;
    results: { locations: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[];
  }[];
}

describe("CI formats on the command line", () => {
  it.each(["sarif", "junit", "codequality", "markdown", "ndjson"])(
    "--format %s works",
    async (format) => {
      const { code, stdout, stderr } = await cli([
        "summarize",
        "samples/valgrind/leak_indirect.txt",
        "--format",
        format,
      ]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout.length).toBeGreaterThan(100);
    },
  );

  it("sarif defaults the source root to the working directory", async () => {
    const { stdout } = await cli([
      "summarize",
      "samples/valgrind/leak_indirect.txt",
      "-f",
      "sarif",
    ]);
    const run = (JSON.parse(stdout) as Sarif).runs[0];
    expect(run?.originalUriBaseIds["%SRCROOT%"]?.uri).toBe(`file://${ROOT}/`);
  });

  it("--path-map rewrites build paths so that frames land in the checkout", async () => {
    const before = await cli(["summarize", MEMLEAX, "-f", "sarif"]);
    const uris = (text: string) =>
      (JSON.parse(text) as Sarif).runs[0]?.results.map(
        (r) => r.locations[0]?.physicalLocation?.artifactLocation.uri,
      );
    expect(uris(before.stdout)).toEqual([MEMLEAX, MEMLEAX, MEMLEAX]);
    const after = await cli([
      "summarize",
      MEMLEAX,
      "-f",
      "sarif",
      "--path-map",
      "/home/dev/leaktests=src",
      "--path-map",
      "/nowhere=/x",
    ]);
    expect(uris(after.stdout)).toEqual([
      "src/multi_stacks.c",
      "src/multi_stacks.c",
      "src/multi_stacks.c",
    ]);
    const json = await cli([
      "summarize",
      MEMLEAX,
      "-f",
      "json",
      "--path-map",
      "/home/dev/leaktests/=/src",
    ]);
    expect(json.stdout).toContain('"file": "/src/multi_stacks.c"');
  });

  it("rejects a --path-map without FROM=", async () => {
    const { code, stderr } = await cli(["summarize", MEMLEAX, "--path-map", "=x"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--path-map wants FROM=TO");
  });
});
