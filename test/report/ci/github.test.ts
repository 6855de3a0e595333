import { describe, expect, it } from "vitest";
import { workflowCommand } from "../../../src/report/github/command.js";
import { REPORTERS } from "../../../src/report/index.js";
import type { Report } from "../../../src/model/index.js";
import { CONTEXT, reportOf, SOURCE_ROOT } from "./helpers.js";

const render = (report: Report, context = CONTEXT) =>
  REPORTERS.github.render(report, context).trimEnd().split("\n");

describe("GitHub Actions annotations", () => {
  it("point at the group's first own frame, relative to the checkout", async () => {
    const lines = render(await reportOf("valgrind-xml/leak_indirect.xml"));
    expect(lines[0]).toBe(
      "::error file=leak_indirect.c,line=9,title=leaklog%3A definitely-lost::168 bytes (24 direct) in 1 block definitely lost%0Aat tree_node (leak_indirect.c:9)%0Aby build_tree (leak_indirect.c:17)%0Aby main (leak_indirect.c:39)",
    );
    // Indirect leaks are warnings; a working directory above the root prefixes the root's path.
    const nested = render(await reportOf("valgrind-xml/leak_indirect.xml"), {
      ...CONTEXT,
      workingDirectory: "/work",
    });
    expect(nested[2]).toMatch(/^::warning file=project\/leak_indirect.c,line=9,title=/);
  });

  it("point at the log line when no frame is the program's, and say where a log is not a file", async () => {
    const report = await reportOf("valgrind/stripped_bin.txt");
    const leakLine = (lines: string[]) => lines.find((l) => l.includes("definitely-lost"));
    expect(leakLine(render(report))).toMatch(
      /^::error file=samples\/valgrind\/stripped_bin.txt,line=22,/,
    );
    // Records too: a group is placed at its shown record's line (see shownPlace).
    const fromStdin: Report = {
      ...report,
      leaks: report.leaks.map((r) => ({ ...r, location: { ...r.location, path: "-" } })),
      errors: report.errors.map((r) => ({ ...r, location: { ...r.location, path: "-" } })),
      groups: report.groups.map((g) => ({
        ...g,
        members: g.members.map((m) => ({ ...m, path: "-" })),
      })),
    };
    const stdin = leakLine(render(fromStdin));
    expect(stdin).toMatch(/^::error title=leaklog%3A definitely-lost::33 bytes/);
    expect(stdin).toContain("%0A(reported at line 22 of standard input)");
  });

  it("leave suppressed groups out, and annotate the logs' warnings and a failed gate", async () => {
    const read = await reportOf("valgrind/threads.txt", "memleax/22-sigkill-truncated.log");
    // leaklog's own suppressions give a group severity none.
    const [first, ...rest] = read.groups;
    const report: Report = { ...read, groups: [{ ...first!, severity: "none" }, ...rest] };
    const gated: Report = {
      ...report,
      gate: { failed: true, reasons: ["--fail-on error: 2 groups", "--max-bytes 10"] },
    };
    const lines = render(gated);
    expect(lines.filter((l) => l.startsWith("::error file="))).toHaveLength(
      report.groups.filter((g) => g.severity === "error").length,
    );
    // The same report with the group at its own severity has one annotation more.
    expect(render({ ...read, gate: gated.gate })).toHaveLength(lines.length + 1);
    expect(lines).toContain(
      "::warning file=samples/memleax/22-sigkill-truncated.log,line=275,title=leaklog incomplete::memleax output ends before its final report (no stop line, no '== Callstack statistics'); line 275 is cut mid-line; counts are derived from the event stream",
    );
    expect(lines[0]).toBe("::error title=leaklog gate::--fail-on error: 2 groups%0A--max-bytes 10");
  });

  it("put the gate and the unreadable logs before the findings, and say how many GitHub hides", async () => {
    // GitHub shows ten annotations of each level per step: with the groups first, a leaky
    // program's eleventh and later annotations, the missing log and the gate, went unseen.
    const read = await reportOf("valgrind-xml/leak_indirect.xml");
    const group = read.groups.find((g) => g.severity === "error")!;
    const groups = Array.from({ length: 12 }, (_, i) => ({ ...group, fingerprint: `f${i}` }));
    const missing = {
      severity: "error" as const,
      code: "unreadable-input",
      message: "cannot read shard-2/valgrind.log: no such file",
      path: "shard-2/valgrind.log",
    };
    const gate = { failed: true, reasons: ["--fail-on error: 12 groups"] };
    const lines = render({ ...read, groups, diagnostics: [missing], gate });
    expect(lines.slice(0, 3).map((l) => l.slice(0, l.indexOf("::", 2)))).toEqual([
      "::error title=leaklog gate",
      "::error file=shard-2/valgrind.log,line=1,title=leaklog unreadable-input",
      "::notice title=leaklog",
    ]);
    expect(lines[2]).toBe(
      "::notice title=leaklog::GitHub shows 10 annotations of each level per step: 4 of the 12 findings below are in the step's log only (see leaklog's text or JSON report)",
    );
    expect(lines.slice(3)).toHaveLength(12);
    // Ten in all: no notice.
    expect(
      render({ ...read, groups: groups.slice(0, 8), diagnostics: [missing], gate }),
    ).toHaveLength(10);
  });

  it("annotate five of the logs' warnings and count the rest", async () => {
    const report = await reportOf("valgrind/clean.txt");
    const diagnostics = Array.from({ length: 8 }, (_, i) => ({
      severity: "warning" as const,
      code: "unrecognized-line",
      message: `line not understood: "x${i}"`,
      path: `${SOURCE_ROOT}/vg.txt`,
      line: i + 1,
    }));
    const lines = render({ ...report, diagnostics });
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(
      '::warning file=vg.txt,line=1,title=leaklog unrecognized-line::line not understood: "x0"',
    );
    expect(lines[5]).toBe(
      "::notice title=leaklog::3 more warnings about the logs are not annotated: see leaklog's text or JSON report",
    );
  });

  it("write nothing for a clean run", async () => {
    expect(REPORTERS.github.render(await reportOf("valgrind/clean.txt"), CONTEXT)).toBe("");
  });

  it("escape values as GitHub's toolkit does, so nothing ends or starts a command", () => {
    expect(
      workflowCommand("warning", { file: "a,b:c%.c", line: 3, title: "t:1,2" }, [
        "50% done\r\n::error::injected",
        "second",
      ]),
    ).toBe(
      "::warning file=a%2Cb%3Ac%25.c,line=3,title=t%3A1%2C2::50%25 done ::error::injected%0Asecond",
    );
  });

  it("keeps a line break in a file's name, escaped, as GitHub's toolkit does (campaign bi)", () => {
    expect(workflowCommand("notice", { file: "nl\nname.txt", title: "t\nx" }, "m")).toBe(
      "::notice file=nl%0Aname.txt,title=t x::m",
    );
  });
});
