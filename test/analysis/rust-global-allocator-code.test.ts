import { describe, expect, it } from "vitest";
import { summarize } from "../../src/api/summarize.js";
import { isAllocatorFrameAt, withoutAllocatorFrames } from "../../src/analysis/allocator-frames.js";
import { ownFrames } from "../../src/analysis/own-frames.js";
import type { Frame, Group, Report } from "../../src/model/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { parseFixture } from "../helpers/golden.js";

// Campaign v18b F3 and Q1: the program's global allocator in an error's own stack, and a
// `GlobalAlloc` impl with a helper of its own (fixtures/valgrind/rust, see its README).
const report = (name: string) => summarize([parseFixture(`test/fixtures/valgrind/rust/${name}`)]);

const where = (frame: Frame | undefined) => `${frame?.function} ${frame?.file}:${frame?.line}`;

function invalidWrite(name: string): Group {
  const group = report(name).groups.find((g) => g.kind === "InvalidWrite");
  if (group === undefined) throw new Error(`no InvalidWrite in ${name}`);
  return group;
}

const IMPL = "<prog::Hdr as core::alloc::global::GlobalAlloc>::alloc";
const DEBUG_LOGS = ["global-bad-write-debug.txt", "global-bad-write-debug.xml"];

interface SarifLocation {
  physicalLocation?: { region?: { startLine: number } };
  logicalLocations?: { name: string }[];
}

/** The first result's first location in the SARIF report, with or without a source root. */
function sarifLocation(result: Report, sourceRoot?: string): SarifLocation | undefined {
  const root = sourceRoot !== undefined ? { sourceRoot } : {};
  const text = REPORTERS.sarif.render(result, { color: false, top: 20, ...root });
  const sarif = JSON.parse(text) as { runs: { results: { locations: SarifLocation[] }[] }[] };
  return sarif.runs[0]?.results[0]?.locations[0];
}

describe("an error inside the program's GlobalAlloc impl", () => {
  it("is shown at the impl's line, the block at the caller of vec![]", () => {
    for (const name of DEBUG_LOGS) {
      const group = invalidWrite(name);
      expect(ownFrames(group.stack).slice(0, 2).map(where)).toEqual([
        `${IMPL} prog.rs:6`,
        "prog::user prog.rs:14",
      ]);
      expect(where(withoutAllocatorFrames(group.stack)[0])).toBe(`${IMPL} prog.rs:6`);
      expect(where(ownFrames(group.aux?.[0]?.stack ?? [])[0])).toBe("prog::user prog.rs:14");
    }
  });

  it("is so in SARIF and the annotations", () => {
    const result = report("global-bad-write-debug.xml");
    const located = sarifLocation(result, "/tmp/camp-v18b/galloc-err");
    expect(located?.physicalLocation?.region?.startLine).toBe(6);
    // Without a source root, the log line, named by the function past the allocator's frames.
    expect(sarifLocation(result)?.logicalLocations?.[0]?.name).toBe(IMPL);
    const github = REPORTERS.github.render(result, {
      color: false,
      top: 20,
      sourceRoot: "/tmp/camp-v18b/galloc-err",
    });
    expect(github).toContain(`file=prog.rs,line=6,`);
  });

  it("is so at -O2, the impl inlined under the shim with write_volatile on top", () => {
    const group = invalidWrite("global-bad-write-volatile-release.txt");
    expect(where(ownFrames(group.stack)[0])).toBe("alloc prog2.rs:6");
    expect(where(ownFrames(group.aux?.[0]?.stack ?? [])[0])).toBe("prog2::user prog2.rs:14");
  });

  it("is the allocator's only under the checker's allocator frames", () => {
    const impl: Frame = { function: IMPL, file: "prog.rs", line: 6 };
    const user: Frame = { function: "prog::user", file: "prog.rs", line: 14 };
    expect(isAllocatorFrameAt([impl, user], 0)).toBe(false);
    expect(isAllocatorFrameAt([{ function: "malloc" }, impl, user], 1)).toBe(true);
    expect(isAllocatorFrameAt([{ function: "malloc" }, impl, user], 2)).toBe(false);
  });
});

describe("a GlobalAlloc impl that allocates through its own helper", () => {
  const places = (name: string) =>
    report(name)
      .groups.filter((g) => g.type === "leak")
      .map((g) => where(ownFrames(g.stack)[0]))
      .sort();

  it("gives each caller's leak its own group, at the caller's allocation", () => {
    const callers = ["wrap::leak_a wrap.rs:18", "wrap::leak_b wrap.rs:20"];
    expect(places("global-helper-debug.txt")).toEqual(callers);
    expect(places("global-helper-debug.xml")).toEqual(callers);
    expect(places("global-helper-release.txt")).toEqual(callers);
  });

  it("fingerprints the text and XML logs alike", () => {
    const fingerprints = (name: string) =>
      report(name)
        .groups.map((g) => g.fingerprint)
        .sort();
    expect(fingerprints("global-helper-debug.xml")).toEqual(
      fingerprints("global-helper-debug.txt"),
    );
  });
});
