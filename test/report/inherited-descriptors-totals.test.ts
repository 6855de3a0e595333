import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Real Valgrind logs of test/fixtures/valgrind-xml/fds-inherited (see its README.md): each
// process was given descriptors open (the runner's, Valgrind's own), which the report lists as
// notes; the totals said `FdNotClosed 9 occurrences` with no word of which were the program's.
const DIR = "test/fixtures/valgrind-xml/fds-inherited";

async function summary(log: string, format = "text"): Promise<string> {
  const { code, stdout } = await cli(["summarize", `${DIR}/${log}`, "--format", format]);
  expect(code).toBe(0);
  return stdout;
}

describe("the totals' FdNotClosed row", () => {
  it("says how many of the descriptors were inherited open", async () => {
    expect(await summary("fds-all-3.27.txt")).toContain(
      "FdNotClosed      9 occurrences, 5 of them inherited from the parent process",
    );
  });

  it("says when all of them were", async () => {
    expect(await summary("clean-fds-3.24.txt")).toContain(
      "FdNotClosed      2 occurrences, all inherited from the parent process",
    );
  });

  it("says it in the HTML report's table and chart too", async () => {
    const html = await summary("fds-all-3.27.txt", "html");
    expect(html).toContain("<td>9 occurrences, 5 of them inherited from the parent process</td>");
    expect(html).toMatch(/9, 5 of them inherited from the parent process/);
  });
});
