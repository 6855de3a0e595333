import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../../src/index.js";

const DIR = "test/fixtures/valgrind-xml/track-fds";

// Campaigns ba (F4) and bd (F3): Valgrind before 3.23 cannot write a descriptor left open to
// its XML, so it lists them in the text log of a --xml=yes run.
describe("--track-fds=yes with --xml=yes, Valgrind 3.19", () => {
  it("refuses the text log, which holds only the descriptors left open", async () => {
    const result = await parseFile(`${DIR}/xml-run.txt`);
    expect(result.fatal?.code).toBe("xml-run-text-log");
    expect(result.fatal?.message).toContain("give leaklog that file");
  });

  // Campaign bs F2: a program that leaves none of its own open lists only inherited ones, among
  // them Valgrind's --xml-file, as a -q text run of it would.
  it.each(["clean-xml-run", "clean-xml-stderr"])(
    "refuses %s.txt, whose listing names its XML file, of a clean program",
    async (name) => {
      const result = await parseFile(`${DIR}/${name}.txt`);
      expect(result.fatal?.code).toBe("xml-run-text-log");
      expect(result.fatal?.message).toMatch(
        new RegExp(`to the XML file /\\S+/${name}\\.xml: give leaklog that file$`),
      );
    },
  );

  it.each(["clean-q-run.txt", "clean-q-run.xml"])(
    "reads %s, a -q text run of the clean program, whose listing names only itself",
    async (name) => {
      const result = await parseFile(`${DIR}/${name}`);
      expect(result.fatal).toBeUndefined();
      expect(result.source.complete).toBe(true);
      expect(result.errors.map((e) => e.kind)).toEqual([
        "FdNotClosed",
        "FdNotClosed",
        "FdNotClosed",
      ]);
    },
  );

  it("reads a -q text run cut inside its listing, before a descriptor's stack", async () => {
    const result = await parseFile(`${DIR}/q-cut.txt`);
    expect(result.fatal).toBeUndefined();
    expect(result.errors.filter((e) => e.kind === "FdNotClosed").length).toBe(3);
    // Known cut, before the last descriptor's stack (campaign v14).
    expect(result.source.complete).toBe(false);
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([["incomplete", 10]]);
  });

  it("warns that the XML's descriptors are unknown, at the --track-fds argument", async () => {
    const result = await parseFile(`${DIR}/xml-run.xml`);
    expect(result.fatal).toBeUndefined();
    const warning = result.diagnostics.find((d) => d.code === "xml-fds-in-text-log");
    expect(warning).toMatchObject({ severity: "warning", line: 23, pid: expect.any(Number) });
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidWrite"]);
    expect(result.leaks.map((l) => l.kind)).toEqual(["definitely-lost"]);
  });

  it("keeps reading a -q text run's descriptors, each with its stack or inherited", async () => {
    const result = await parseFile(`${DIR}/text-run.txt`);
    expect(result.fatal).toBeUndefined();
    expect(result.errors.filter((e) => e.kind === "FdNotClosed").length).toBe(4);
  });

  it("does not call a text baseline's open descriptors fixed in the XML run", async () => {
    const baseline = summarize([await parseFile(`${DIR}/text-run.txt`)]);
    const report = summarize([await parseFile(`${DIR}/xml-run.xml`)], { baseline });
    expect(report.groups.map((g) => [g.kind, g.baseline])).toEqual([
      ["InvalidWrite", "unchanged"],
      ["definitely-lost", "unchanged"],
    ]);
    const unlisted = report.diagnostics.filter((d) => d.code === "baseline-kinds-unlisted");
    expect(unlisted.map((d) => d.message)).toEqual([
      "1 baseline group(s) of kind FdNotClosed not compared: this run's XML has no record for a descriptor left open (see xml-fds-in-text-log), so whether they are fixed is unknown",
    ]);
    // The other, of inherited descriptors, is never compared (baseline-inherited-descriptors).
    const inherited = report.diagnostics.filter((d) => d.code === "baseline-inherited-descriptors");
    expect(inherited.map((d) => d.message)).toEqual([
      expect.stringContaining(", in the baseline only, are neither new nor fixed"),
    ]);
  });

  // Campaign cb1 F4: such a log passed --fail-on FdNotClosed, as a program that left every file
  // open would have, where a rule naming a kind the log cannot count fails.
  it("fails a rule that names FdNotClosed, saying the log cannot tell", async () => {
    for (const name of ["xml-run.xml", "clean-xml-run.xml"]) {
      const report = summarize([await parseFile(`${DIR}/${name}`)], {
        gate: { failOn: ["FdNotClosed"] },
      });
      expect(report.gate?.reasons, name).toEqual([
        `--fail-on FdNotClosed: 1 log cannot tell (${DIR}/${name}) whether there are FdNotClosed findings: the XML of Valgrind before 3.23 holds no record of the descriptors --track-fds=yes found left open, which only the run's text log lists, without their stacks (run Valgrind 3.23 or later, or a text log without --xml=yes)`,
      ]);
    }
    // Other rules are as before: the log's errors and leaks are whole.
    const report = summarize([await parseFile(`${DIR}/clean-xml-run.xml`)], {
      gate: { failOn: ["error", "warning"] },
    });
    expect(report.gate?.failed).toBe(false);
  });

  it("says nothing of descriptors for a protocol 6 XML, which holds them", async () => {
    const result = await parseFile("test/fixtures/valgrind-xml/damage/protocol6-3.26.0.xml");
    expect(result.diagnostics.map((d) => d.code)).not.toContain("xml-fds-in-text-log");
    expect(result.errors.map((e) => e.kind)).toContain("FdNotClosed");
  });
});
