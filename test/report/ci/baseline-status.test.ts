import { describe, expect, it } from "vitest";
import { applyPathMap } from "../../../src/analysis/paths.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Report } from "../../../src/model/index.js";
import { REPORTERS } from "../../../src/report/index.js";
import { parseFixture } from "../../helpers/golden.js";
import { CONTEXT, PATH_MAP } from "./helpers.js";

// Campaign ch Q10: against a baseline, `--fail-on new` failed on one group while the GitHub
// annotations, JUnit failures and Code Quality issues of the new and the old groups read alike.
// v2-fds.log leaks 40 bytes more than v1-fds.log (see the folder's README); grow3.txt's leak
// from the loop grew from 32 bytes in 1 block to 96 in 3 since grow1.txt.
const FDS = "test/fixtures/baseline-track-fds";
const GROWN = "test/fixtures/valgrind/grown-leak";

function compared(run: string, baseline: string): Report {
  const report = summarize([parseFixture(run)], { baseline: summarize([parseFixture(baseline)]) });
  return applyPathMap(report, PATH_MAP);
}

const newLeak = () => compared(`${FDS}/v2-fds.log`, `${FDS}/v1-fds.log`);
const grownLeak = () => compared(`${GROWN}/grow3.txt`, `${GROWN}/grow1.txt`);
const render = (format: "github" | "junit" | "codequality", report: Report) =>
  REPORTERS[format].render(report, CONTEXT);

describe("the CI formats against a baseline", () => {
  it("title each GitHub annotation of a group with how it compares", () => {
    const titles = render("github", newLeak())
      .split("\n")
      .map((line) => /title=([^:]*)::/.exec(line)?.[1])
      .filter((title) => title !== undefined);
    expect(titles).toEqual([
      "leaklog%3A definitely-lost (new since the baseline)",
      "leaklog%3A definitely-lost (unchanged since the baseline)",
      "leaklog%3A FdNotClosed (unchanged since the baseline)",
      // Descriptors the process inherited are never compared (baseline-inherited-descriptors).
      "leaklog%3A FdNotClosed",
    ]);
    expect(render("github", grownLeak())).toContain(
      "title=leaklog%3A definitely-lost (unchanged since the baseline%2C grew%3A 32 -> 96 bytes%2C 1 -> 3 blocks)::96 bytes in 3 blocks definitely lost%0Aat make_entry",
    );
  });

  it("say it in each JUnit case's message and body, not in its name", () => {
    const xml = render("junit", newLeak());
    expect(xml).toContain(
      '<failure message="error: 40 bytes in 1 block definitely lost (new since the baseline)" type="definitely-lost">40 bytes in 1 block definitely lost (new since the baseline)\n  at malloc',
    );
    expect(xml).toContain(
      '<failure message="error: 16 bytes in 1 block definitely lost (unchanged since the baseline)"',
    );
    expect(xml).not.toMatch(/<testcase [^>]*name="[^"]*since the baseline/);
    expect(render("junit", grownLeak())).toContain(
      'message="error: 96 bytes in 3 blocks definitely lost (unchanged since the baseline, grew: 32 -&gt; 96 bytes, 1 -&gt; 3 blocks)"',
    );
  });

  it("say it in each Code Quality description, and keep the fingerprints as they were", () => {
    const report = newLeak();
    const issues = JSON.parse(render("codequality", report)) as {
      description: string;
      fingerprint: string;
    }[];
    expect(issues.map((issue) => issue.description)).toEqual([
      "definitely-lost: 40 bytes in 1 block definitely lost (new since the baseline)",
      "definitely-lost: 16 bytes in 1 block definitely lost (unchanged since the baseline)",
      "FdNotClosed: Open file descriptor 4: /dev/null (unchanged since the baseline)",
      expect.stringMatching(/^FdNotClosed: Open file descriptors 251, 10 \(\/dev\/null\), 3 /),
    ]);
    const alone = applyPathMap(summarize([parseFixture(`${FDS}/v2-fds.log`)]), PATH_MAP);
    const before = JSON.parse(render("codequality", alone)) as { fingerprint: string }[];
    expect(issues.map((issue) => issue.fingerprint)).toEqual(before.map((i) => i.fingerprint));
  });

  it("say nothing of it without a baseline", () => {
    const alone = applyPathMap(summarize([parseFixture(`${FDS}/v2-fds.log`)]), PATH_MAP);
    for (const format of ["github", "junit", "codequality"] as const)
      expect(render(format, alone)).not.toContain("since the baseline");
  });
});
