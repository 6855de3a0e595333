import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

describe("the text summary's source line", () => {
  it("names the first five processes of a fork-heavy log and counts the rest", async () => {
    const log = [101, 102, 103, 104, 105, 106, 107]
      .flatMap((pid) => [
        `==${pid}== Memcheck, a memory error detector`,
        `==${pid}== Command: ./worker ${pid}`,
        `==${pid}== `,
        `==${pid}== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)`,
      ])
      .join("\n");
    const { code, stdout } = await cli(["summarize", "-"], [`${log}\n`]);
    expect(code).toBe(0);
    const header = stdout.split("\n")[0] ?? "";
    expect(header).toContain("PID 101 ./worker 101, PID 102 ./worker 102");
    expect(header).toContain("PID 105 ./worker 105, 2 more processes");
    expect(header).not.toContain("PID 106");
  });
});
