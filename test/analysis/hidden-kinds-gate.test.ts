import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { ROOT } from "../helpers/golden.js";

// Real runs, text and XML of each (fixtures/valgrind-xml/hidden-kinds/README.md).
const DIR = "test/fixtures/valgrind-xml/hidden-kinds";
const gate = (name: string, failOn: string[], maxBytes: Record<string, number> = {}) => {
  const path = `${DIR}/${name}`;
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return summarize([result], { gate: { failOn, maxBytes } }).gate;
};

describe("gating on leak kinds a run hid", () => {
  it.each([
    ["none", ["definitely-lost"], {}],
    ["none", ["error"], {}],
    ["none", ["any"], {}],
    ["default", ["indirectly-lost"], {}],
    ["default", [], { "indirectly-lost": 1 }],
  ] as const)(
    "--show-leak-kinds=%s, %j %j: the XML fails as the text log does",
    (run, failOn, max) => {
      expect(gate(`vg-${run}.txt`, [...failOn], max)?.failed).toBe(true);
      const xml = gate(`vg-${run}.xml`, [...failOn], max);
      expect(xml?.failed).toBe(true);
      expect(xml?.reasons.join("\n")).toMatch(
        /1 log cannot tell \(.*vg-\w+\.xml\) whether there are/,
      );
    },
  );

  it("leaves rules alone that a hidden kind does not meet", () => {
    // Indirect and reachable leaks are hidden by default: `warning` and `any` do not ask for
    // them, as they do not for a text log's unshown kinds.
    expect(gate("vg-default.xml", ["warning"])?.failed).toBe(false);
    expect(gate("vg-default.xml", ["possibly-lost"])?.failed).toBe(false);
    expect(gate("vg-default.xml", ["still-reachable"])?.reasons).toEqual([
      expect.stringMatching(
        /^--fail-on still-reachable: 1 log cannot tell .* still-reachable leaks/,
      ),
    ]);
    // A -q text log does not say which kinds it hid: what it did not list is no unknown.
    expect(gate("quiet.txt", ["definitely-lost"], { "definitely-lost": 0 })?.failed).toBe(false);
    const clean = "samples/valgrind-xml/clean.xml";
    const result = parse(readFileSync(join(ROOT, clean), "utf8"), { path: clean });
    const rules = { failOn: ["any", "error", "warning"], maxBytes: {} };
    expect(summarize([result], { gate: rules }).gate?.failed).toBe(false);
  });
});

// Campaign bw F7: a protocol 6 document (3.26+) always has a <heap_summary>, and a
// <leak_summary> when a block is in use at exit. A clean run hides nothing from its records.
describe("gating on hidden kinds in protocol 6 (Valgrind 3.27.1)", () => {
  it("passes a clean run's XML as its text log, and hides no kind", () => {
    for (const name of ["clean-3.27.xml", "clean-3.27.txt"]) {
      expect(gate(name, ["indirectly-lost"])?.failed, name).toBe(false);
      expect(gate(name, [], { "still-reachable": 0 })?.failed, name).toBe(false);
    }
    const path = `${DIR}/clean-3.27.xml`;
    const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
    expect(result.source.hiddenLeakKinds).toBeUndefined();
  });

  it("still cannot tell for protocol 5 (3.24), which has no heap summary", () => {
    expect(gate("clean-3.24.xml", ["still-reachable"])?.reasons).toEqual([
      expect.stringMatching(/^--fail-on still-reachable: 1 log cannot tell/),
    ]);
  });

  it("gates on the leak summary's counts of the kinds a run with blocks in use hid", () => {
    expect(gate("four-kinds-3.27.xml", [], { "still-reachable": 0 })?.reasons).toEqual([
      expect.stringMatching(/^--max-bytes still-reachable=0: 100 bytes \(100 of them not shown/),
    ]);
    expect(gate("four-kinds-3.27.xml", ["indirectly-lost"])?.failed).toBe(true);
  });
});

// Campaign cb2 F3: Helgrind and DRD run no leak check, and `--show-leak-kinds` is an unknown
// option to them. Their XML read as a Memcheck run with the default kinds, which hid indirect
// and reachable leaks: a gate naming those kinds could never pass a Helgrind log.
const EXIT = "test/fixtures/valgrind-xml/no-leak-check-at-exit";
const gateOf = (name: string, failOn: string[], maxBytes: Record<string, number> = {}) => {
  const path = `${EXIT}/${name}`;
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return { result, gate: summarize([result], { gate: { failOn, maxBytes } }).gate };
};

describe("gating on leak kinds of Helgrind and DRD runs (3.19, 3.24, 3.27.1)", () => {
  it.each(
    ["helgrind", "drd"].flatMap((tool) => ["3.19", "3.24", "3.27"].map((v) => `${tool}-${v}.xml`)),
  )("%s hides no kind, and passes rules naming indirect or reachable leaks", (name) => {
    const { result, gate } = gateOf(name, ["indirectly-lost", "still-reachable"], {
      "indirectly-lost": 0,
      "still-reachable": 0,
    });
    expect(result.source.hiddenLeakKinds).toBeUndefined();
    expect(gate).toEqual({ failed: false, reasons: [] });
    // Its races still fail the rules that name them.
    expect(gateOf(name, ["error"]).gate?.failed).toBe(true);
  });
});

// Campaign cb2 Q1: a Memcheck run killed before its leak check at exit (a CI timeout's SIGKILL)
// or out of memory ran no check, so its options hid nothing; its XML said they did, and sent
// users to rerun with --show-leak-kinds=all, where the log's being incomplete is the reason.
describe("gating on leak kinds of a run that never reached its leak check", () => {
  const KINDS = ["indirectly-lost", "still-reachable"];
  const LIMITS = { "indirectly-lost": 0, "still-reachable": 0 };

  it.each([
    "killed-3.19.xml",
    "killed-3.24.xml",
    "killed-3.27.xml",
    "oom-3.19.xml",
    "oom-3.27.xml",
    "killed-3.19.txt",
    "oom-3.19.txt",
  ])("%s hides no kind: it passes rules naming them, and fails --fail-on incomplete", (name) => {
    const { result, gate } = gateOf(name, KINDS, LIMITS);
    expect(result.source.complete).toBe(false);
    expect(result.source.hiddenLeakKinds).toBeUndefined();
    expect(gate).toEqual({ failed: false, reasons: [] });
    expect(gateOf(name, ["incomplete"]).gate?.failed).toBe(true);
  });

  it("still cannot tell the kinds that a leak check of the program's own hid before the kill", () => {
    // Its text log's LEAK SUMMARY counts the 24 indirect bytes that its loss records left out.
    const text = gateOf("checked-then-killed-3.19.txt", ["indirectly-lost"]).gate;
    expect(text?.reasons).toEqual([
      expect.stringMatching(/reports 24 bytes in 1 blocks indirectly/),
    ]);
    const { result, gate } = gateOf("checked-then-killed-3.19.xml", ["indirectly-lost"]);
    expect(result.source.hiddenLeakKinds).toEqual(KINDS);
    expect(gate?.reasons).toEqual([
      expect.stringMatching(
        /^--fail-on indirectly-lost: 1 log cannot tell .*--show-leak-kinds=all\)$/,
      ),
    ]);
  });
});
