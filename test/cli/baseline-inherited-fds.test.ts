import { describe, expect, it } from "vitest";
import { Report } from "../../src/model/index.js";
import { cli, diffCounts } from "../helpers/cli.js";

// Descriptors a process inherited open are its launcher's, and each Valgrind version lists
// others (3.19 its own --log-file's, 3.24 the runner's, 3.27 none without --track-fds=all): a
// baseline made with another Valgrind made them a new group that failed --fail-on new.
// See test/fixtures/baseline-inherited-fds/README.md.
const DIR = "test/fixtures/baseline-inherited-fds";
const log = (name: string) => `${DIR}/${name}`;

async function reportAgainst(baseline: string, run: string): Promise<Report> {
  const { stdout } = await cli(["summarize", log(run), "--baseline", log(baseline), "-f", "json"]);
  return Report.parse(JSON.parse(stdout));
}

const inheritedGroups = (report: Report) =>
  report.groups.filter((g) => g.aux?.some((a) => a.message === "<inherited from parent>"));
const notes = (report: Report) =>
  report.diagnostics.filter((d) => d.code === "baseline-inherited-descriptors");

describe("descriptors a process inherited, against a baseline of another Valgrind", () => {
  it("are neither new nor fixed, and the gate passes", async () => {
    for (const [baseline, run] of [
      ["v3.27.log", "v3.19.log"],
      ["v3.19.log", "v3.27.log"],
      ["v3.27.log", "v3.24.xml"],
    ] as const) {
      const { code, counts } = await diffCounts(log(baseline), log(run));
      expect([baseline, run, code, counts]).toEqual([
        baseline,
        run,
        0,
        { new: 0, unchanged: 2, fixed: 0 },
      ]);
    }
    const gate = await cli(["summarize", log("v3.19.log"), "--baseline", log("v3.27.log")]);
    expect(gate.stdout).toContain("\nBaseline\n  0 new, 2 unchanged, 0 fixed\n");
  });

  it("keep no baseline state, with a note that says why", async () => {
    const report = await reportAgainst("v3.27.log", "v3.19.log");
    const [inherited] = inheritedGroups(report);
    expect(inherited?.occurrences).toBe(3);
    expect(inherited?.baseline).toBeUndefined();
    expect(notes(report)).toEqual([
      expect.objectContaining({
        severity: "info",
        path: log("v3.27.log"),
        message: expect.stringMatching(
          /^1 group\(s\) of .* inherited .*, in this run only, are neither new nor fixed: they are its launcher's/,
        ) as unknown as string,
      }),
    ]);
    const reverse = await reportAgainst("v3.19.log", "v3.27.log");
    expect(inheritedGroups(reverse)).toEqual([]);
    expect(notes(reverse)[0]?.message).toContain(", in the baseline only,");
  });

  it("say nothing where both runs list some, and leave the program's own descriptor compared", async () => {
    const report = await reportAgainst("v3.19.log", "v3.24.log");
    expect(notes(report)).toEqual([]);
    const own = report.groups.find((g) => g.kind === "FdNotClosed" && g.stack.length > 0);
    expect(own?.baseline).toBe("unchanged");
    expect(report.groups.filter((g) => g.baseline === "new")).toEqual([]);
  });
});

// Campaign cb1 F3: a kind rule took them too, and `--fail-on FdNotClosed` failed every run of
// Valgrind 3.19 or 3.24 with --log-file, whose own log is a descriptor the program inherits.
describe("descriptors a process inherited, against --fail-on FdNotClosed", () => {
  it("do not fail it; the program's own descriptor does", async () => {
    const clean = await cli(["summarize", log("clean-v3.19.log"), "--fail-on", "FdNotClosed"]);
    expect(clean.stdout).toContain("NOTE    FdNotClosed  Open file descriptors");
    expect(clean.code).toBe(0);
    const own = await cli(["summarize", log("v3.19.log"), "--fail-on", "FdNotClosed"]);
    expect(own.code).toBe(1);
    expect(own.stdout).toContain("--fail-on FdNotClosed: 1 group (FdNotClosed)");
    // A severity rule takes them by their severity, a note.
    const note = await cli(["summarize", log("clean-v3.19.log"), "--fail-on", "note"]);
    expect(note.code).toBe(1);
  });
});
