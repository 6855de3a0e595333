import { describe, expect, it } from "vitest";
import { parse, parseFile } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";

// Real logs of one program with every leak kind and four error kinds (Valgrind 3.19, gcc):
// vg-all.txt lists every kind (--show-leak-kinds=all), vg-default.txt only definite and
// possible, leaving 64 bytes indirectly lost and 77 still reachable unshown.
const dir = "test/fixtures/severity-policy";
const policy = {
  "still-reachable": "error",
  "indirectly-lost": "none",
  InvalidRead: "note",
} as const;
const gate = { failOn: ["error"] };
const render = (report: Report, id: "json" | "sarif") =>
  REPORTERS[id].render(report, { color: false, top: 20 });
const severities = (report: Report) =>
  report.groups.map((g) => `${g.kind} ${g.fingerprint} ${g.severity}`).sort();
const levels = (report: Report) => {
  const sarif = JSON.parse(render(report, "sarif")) as {
    runs: { results: { ruleId: string; level: string }[] }[];
  };
  return sarif.runs[0]?.results.map((r) => `${r.ruleId}:${r.level}`).sort();
};

async function written(log: string, severityPolicy = policy): Promise<Report> {
  return summarize([await parseFile(`${dir}/${log}`, { severityPolicy })], { gate });
}

// Campaign camp2 F3: read back, a report written with a policy had its severities given again
// by the default policy: its reachable leaks became notes while its unshown reachable bytes
// stayed errors, and its InvalidRead, a note, failed the gate.
describe("a report read back keeps the severities its policy gave", () => {
  for (const log of ["vg-all.txt", "vg-default.txt"]) {
    it(`in its groups, gate, unshown leaks and CI reports (${log})`, async () => {
      const report = await written(log);
      const back = summarize([parse(render(report, "json"), { path: "report.json" })], { gate });
      expect(back.sources[0]?.severityPolicy).toEqual(policy);
      expect(severities(back)).toEqual(severities(report));
      expect(back.totals.groupsBySeverity).toEqual(report.totals.groupsBySeverity);
      expect(back.gate).toEqual(report.gate);
      expect(back.unshownLeaks?.map((e) => e.severity)).toEqual(
        report.unshownLeaks?.map((e) => e.severity),
      );
      expect(levels(back)).toEqual(levels(report));
    });
  }

  it("gives the kinds a policy of the reading parse names its severity, and those only", async () => {
    const text = render(await written("vg-default.txt"), "json");
    const severityPolicy = { "still-reachable": "warning" } as const;
    const back = summarize([parse(text, { path: "report.json", severityPolicy })], { gate });
    expect(back.sources[0]?.severityPolicy).toEqual({ ...policy, ...severityPolicy });
    expect(back.unshownLeaks?.[0]?.severity).toEqual({
      "indirectly-lost": "none",
      "still-reachable": "warning",
    });
    expect(back.groups.find((g) => g.kind === "InvalidRead")?.severity).toBe("note");
    // The unshown reachable bytes, now a warning, no longer fail `--fail-on error`.
    expect(back.gate?.reasons).toEqual(["--fail-on error: 6 groups (first: InvalidFree)"]);
  });

  it("records only the kinds every log of a merge was read with alike", async () => {
    const withPolicy = render(await written("vg-all.txt"), "json");
    const plain = render(await written("vg-all.txt", {} as typeof policy), "json");
    const merged = summarize([
      parse(render(summarize([parse(withPolicy, { path: "a.json" })]), "json"), {
        path: "a2.json",
      }),
      parse(plain, { path: "b.json" }),
    ]);
    expect(merged.sources.map((s) => s.severityPolicy)).toEqual([policy, undefined]);
    const reachable = merged.leaks.filter((l) => l.kind === "still-reachable");
    expect(reachable.map((l) => [l.location.path, l.severity])).toEqual([
      ["a2.json", "error"],
      ["b.json", "note"],
    ]);
    const twoPolicies = render(merged, "json");
    const again = parse(twoPolicies, { path: "merged.json" });
    expect(again.source.severityPolicy).toBeUndefined();
  });
});
