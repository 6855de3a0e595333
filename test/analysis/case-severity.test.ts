import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/api/parse.js";
import { summarize } from "../../src/api/summarize.js";
import { severityOf } from "../../src/analysis/severity.js";
import { ROOT } from "../helpers/golden.js";

// Real runs (fixtures/valgrind/termination/README.md).
const report = (name: string, failOn: string[] = []) => {
  const path = `test/fixtures/valgrind/termination/${name}`;
  const result = parse(readFileSync(join(ROOT, path), "utf8"), { path });
  return summarize([result], { gate: { failOn, maxBytes: {} } });
};
const severities = (name: string) => report(name).groups.map((g) => [g.kind, g.severity]);

describe("severities of a kind's cases", () => {
  it("a run a SIGTERM ended is a warning, in the text log and the XML", () => {
    for (const name of ["sigterm.txt", "sigterm.xml"]) {
      expect(severities(name), name).toEqual([["FatalSignal", "warning"]]);
      expect(report(name, ["error"]).gate?.failed, name).toBe(false);
    }
  });

  it("a descriptor the process was given open is a note; one it opened, a warning", () => {
    expect(severities("inherited-fd.txt")).toEqual([["FdNotClosed", "note"]]);
    expect(report("inherited-fd.txt", ["warning"]).gate?.failed).toBe(false);
    const opened = "samples/valgrind/fd_leak.txt";
    const sample = summarize([parse(readFileSync(join(ROOT, opened), "utf8"), { path: opened })]);
    expect(sample.groups.map((g) => [g.severity, g.aux?.[0]?.message ?? "opened"])).toEqual(
      expect.arrayContaining([["warning", "opened"]]),
    );
  });

  it("leaves crashes errors, and a policy for the kind wins", () => {
    const segv = { message: "Process terminating with default action of signal 11 (SIGSEGV)" };
    expect(severityOf("FatalSignal", { finding: segv })).toBe("error");
    const term = { message: "Process terminating with default action of signal 15 (SIGTERM)" };
    expect(severityOf("FatalSignal", { finding: term })).toBe("warning");
    expect(severityOf("FatalSignal", { finding: term, policy: { FatalSignal: "error" } })).toBe(
      "error",
    );
  });
});
