import { describe, expect, it } from "vitest";
import { MAX_GROUP_PIDS } from "../../src/analysis/group.js";
import { parse, summarize, type Report } from "../../src/index.js";
import { REPORTERS } from "../../src/report/index.js";
import { summarizeLikeWorkers } from "../helpers/workers.js";

/** `count` processes' logs, each with one definitely lost block from the same stack. */
function logs(count: number, pid = (i: number) => 100 + i): [path: string, text: string][] {
  return Array.from({ length: count }, (_, i) => [
    `t${i}.log`,
    [
      `==${pid(i)}== 10 bytes in 1 blocks are definitely lost in loss record 1 of 1`,
      `==${pid(i)}==    at 0x48417B4: malloc (vg_replace_malloc.c:381)`,
      `==${pid(i)}==    by 0x10915A: make_buf (leaky.c:3)`,
      `==${pid(i)}== `,
    ].join("\n"),
  ]);
}

const parsed = (inputs: [string, string][]) => inputs.map(([path, text]) => parse(text, { path }));
const parsedLogs = (count: number) => parsed(logs(count));
const summarized = (inputs: [string, string][]) => summarize(parsed(inputs));
const report = (count: number) => summarized(logs(count));

type Shown = "text" | "markdown" | "junit";
const render = (format: Shown, count: number | Report) =>
  REPORTERS[format].render(typeof count === "number" ? report(count) : count, {
    color: false,
    top: 20,
  });

describe("a group's count of processes", () => {
  it("is said as counted below the cap of the PIDs a group lists", () => {
    for (const format of ["text", "markdown", "junit"] as const) {
      expect(render(format, 3), format).toContain("3 processes");
    }
  });

  it("is exact past the cap of the PIDs a group lists (campaign bqa Q2)", () => {
    const count = MAX_GROUP_PIDS + 5;
    const whole = report(count);
    expect(whole.groups[0]?.pids).toHaveLength(MAX_GROUP_PIDS);
    expect(whole.groups[0]?.processCount).toBe(count);
    for (const format of ["text", "markdown", "junit"] as const) {
      const text = render(format, whole);
      expect(text, format).toContain(`${count} processes`);
      expect(text, format).not.toContain("or more processes");
    }
    // Merged from the CLI's workers' partial reports, and from a report read back that lists
    // 3 of its records, the rest counted in its groups only.
    expect(summarizeLikeWorkers(logs(count)).groups[0]?.processCount).toBe(count);
    const capped = JSON.stringify(summarize(parsedLogs(count), { maxRecords: 3 }));
    const again = summarize([parse(capped, { path: "report.json" })]);
    expect(again.groups[0]?.processCount).toBe(count);
  });

  it("is a lower bound at the cap in a report written before it was counted", () => {
    const old = report(MAX_GROUP_PIDS + 10);
    for (const group of old.groups) delete group.processCount;
    for (const format of ["text", "markdown", "junit"] as const) {
      const text = render(format, old);
      expect(text, format).toContain(`${MAX_GROUP_PIDS} or more processes`);
      expect(text, format).not.toMatch(new RegExp(`${MAX_GROUP_PIDS} processes`));
    }
  });

  it("counts one PID of two inputs or two runs as two processes, as the sources do", () => {
    const twoInputs = summarized(logs(2, () => 1));
    expect(twoInputs.groups[0]?.pids).toEqual([1]);
    expect(twoInputs.groups[0]?.processCount).toBe(2);
    expect(render("text", twoInputs)).toContain("(2 occurrences, 2 processes)");
    // Below the cap and one process per PID, pids say it all: no processCount.
    expect(report(3).groups[0]?.processCount).toBeUndefined();
  });
});
