import { describe, expect, it } from "vitest";
import { MAX_GROUP_PIDS } from "../../src/analysis/group.js";
import { parse, summarize } from "../../src/index.js";
import { REPORTERS } from "../../src/report/index.js";

/** `count` processes' logs, each with one definitely lost block from the same stack. */
function report(count: number) {
  const logs = Array.from({ length: count }, (_, i) =>
    [
      `==${100 + i}== 10 bytes in 1 blocks are definitely lost in loss record 1 of 1`,
      `==${100 + i}==    at 0x48417B4: malloc (vg_replace_malloc.c:381)`,
      `==${100 + i}==    by 0x10915A: make_buf (leaky.c:3)`,
      `==${100 + i}== `,
    ].join("\n"),
  );
  return summarize(logs.map((text, i) => parse(text, { path: `t${i}.log` })));
}

const render = (format: "text" | "markdown" | "junit", count: number) =>
  REPORTERS[format].render(report(count), { color: false, top: 20 });

describe("a group's count of processes", () => {
  it("is said as counted below the cap of the PIDs a group lists", () => {
    for (const format of ["text", "markdown", "junit"] as const) {
      expect(render(format, 3), format).toContain("3 processes");
    }
  });

  it("is a lower bound at the cap, not the cap itself", () => {
    const count = MAX_GROUP_PIDS + 10;
    expect(report(count).groups[0]?.pids).toHaveLength(MAX_GROUP_PIDS);
    for (const format of ["text", "markdown", "junit"] as const) {
      const text = render(format, count);
      expect(text, format).toContain(`${MAX_GROUP_PIDS} or more processes`);
      expect(text, format).not.toMatch(new RegExp(`${MAX_GROUP_PIDS} processes`));
    }
  });
});
