import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Campaign ab, on real runs: what the summaries say of kinds Valgrind counted and listed no
// record of, and how to get their stacks.
describe("kinds the tool counted and did not list", () => {
  // A default --leak-check=full run: 8 bytes indirectly lost and 200 still reachable unshown.
  const DEFAULT_KINDS = "test/fixtures/valgrind-xml/hidden-kinds/vg-default.txt";

  it("are rows that say how to show them, in the text Totals", async () => {
    const { stdout } = await cli(["summarize", DEFAULT_KINDS]);
    expect(stdout).toContain(
      "  still-reachable  not shown (rerun with --show-leak-kinds=all)  (tool's summary: 200 bytes in 1 blocks)",
    );
  });

  // Campaign bu Q2: the XML of the same run has no LEAK SUMMARY, and its totals said nothing of
  // the kinds its options hid (its hiddenLeakKinds), where the text log's rows say how to show them.
  it("are rows in the text and HTML totals of an XML log whose options hid them", async () => {
    const xml = "test/fixtures/valgrind-xml/hidden-kinds/vg-default.xml";
    const { stdout } = await cli(["summarize", xml]);
    for (const kind of ["indirectly-lost", "still-reachable"])
      expect(stdout).toContain(`  ${kind}  not shown (rerun with --show-leak-kinds=all)\n`);
    expect(stdout).not.toContain("possibly-lost");
    const html = await cli(["summarize", xml, "-f", "html"]);
    expect(html.stdout).toContain(
      '<th scope="row">indirectly-lost</th><td><span class="muted">not shown (rerun with --show-leak-kinds=all)</span></td>',
    );
  });

  // Campaign bw F7: a clean protocol 6 run (3.27.1) said to rerun for kinds it could not hide.
  it("are no rows for a clean run's protocol 6 XML, as for its text log", async () => {
    for (const name of ["clean-3.27.xml", "clean-3.27.txt"]) {
      const { stdout } = await cli([
        "summarize",
        `test/fixtures/valgrind-xml/hidden-kinds/${name}`,
      ]);
      expect(stdout, name).not.toContain("not shown");
      expect(stdout, name).toContain("No leaks or memory errors found.");
    }
  });

  // Campaign cb2 F3: a Helgrind or DRD run checks no leaks, and its XML's Totals sent users to
  // rerun with --show-leak-kinds=all, which Helgrind refuses; among Memcheck logs it failed the
  // gate that they passed.
  it("are no rows for Helgrind's and DRD's XML, which run no leak check", async () => {
    const dir = "test/fixtures/valgrind-xml/no-leak-check-at-exit";
    const memcheck = "test/fixtures/valgrind-xml/hidden-kinds/clean-3.27.xml";
    for (const name of ["helgrind-3.27.xml", "drd-3.19.xml"]) {
      const args = ["--fail-on", "indirectly-lost", "--max-bytes", "still-reachable=0"];
      const { code, stdout } = await cli(["summarize", `${dir}/${name}`, memcheck, ...args]);
      expect(stdout, name).not.toContain("not shown");
      expect(stdout, name).toContain("Result: passed\n");
      expect(code, name).toBe(0);
    }
  });

  // Campaign cb2 Q1: a run killed before its leak check at exit hid no kind from a check it never
  // ran; its XML's Totals sent users to --show-leak-kinds=all, where its text log's say nothing.
  it("are no rows for the XML of a run killed before its leak check, as for its text log", async () => {
    const dir = "test/fixtures/valgrind-xml/no-leak-check-at-exit";
    for (const name of ["killed-3.27.xml", "killed-3.19.txt", "oom-3.19.xml"]) {
      const { stdout } = await cli(["summarize", `${dir}/${name}`, "--fail-on", "indirectly-lost"]);
      expect(stdout, name).not.toContain("not shown");
      expect(stdout, name).toContain("Result: passed, but 1 log is incomplete\n");
    }
  });

  // Campaign by Q2 (v24 Q3): a -q log's check listed 1 of 3 loss records and has no LEAK SUMMARY,
  // so which kinds its options hid is unknown; its rows said "not shown" as a fact.
  it("say only maybe, for a -q log that does not say which kinds it left out", async () => {
    const log = "test/fixtures/valgrind/q-hidden-kinds/vg-q.log";
    const { stdout } = await cli(["summarize", log]);
    for (const kind of ["indirectly-lost", "possibly-lost", "still-reachable"])
      expect(stdout).toContain(
        `  ${kind.padEnd(16)} maybe not shown (a -q log does not say; rerun with --show-leak-kinds=all)\n`,
      );
    expect(stdout).toContain("  definitely-lost  32 bytes in 1 blocks\n");
    expect(stdout).not.toMatch(/ {2}not shown/);
  });

  // Campaign v10 F7: merged with a --show-leak-kinds=all run of the same program, the rows
  // listed half of the tool's summary and said nothing of the other half.
  it("are said beside the listed part of a kind, in merged text Totals", async () => {
    const all = "test/fixtures/valgrind-xml/hidden-kinds/vg-all.txt";
    const { stdout } = await cli(["summarize", all, DEFAULT_KINDS]);
    expect(stdout).toContain(
      "  still-reachable  200 bytes in 1 blocks, and 200 bytes in 1 blocks not shown (rerun with --show-leak-kinds=all)  (tool's summary: 400 bytes in 2 blocks)",
    );
    expect(stdout).toContain(
      "  definitely-lost  96 bytes in 4 blocks  (tool's summary: 96 bytes in 4 blocks)",
    );
  });

  // Campaign bf: the HTML page said "not listed", with no way to list them.
  it("say how to show them in the HTML totals too, for whole and partly shown kinds", async () => {
    const whole = await cli(["summarize", DEFAULT_KINDS, "-f", "html"]);
    expect(whole.stdout).toContain(
      '<th scope="row">still-reachable</th><td><span class="muted">not shown (rerun with --show-leak-kinds=all)</span></td>',
    );
    const all = "test/fixtures/valgrind-xml/hidden-kinds/vg-all.txt";
    const merged = await cli(["summarize", all, DEFAULT_KINDS, "-f", "html"]);
    expect(merged.stdout).toContain(
      ", and 200 bytes in 1 blocks not shown (rerun with --show-leak-kinds=all)</td>",
    );
  });

  // Campaign ch Q6: a 3.24+ XML log's own LEAK SUMMARY counts the kinds its options hid; the
  // page said "not shown" beside its "0 bytes in 0 blocks", where the text Totals have no row.
  it("are none in the HTML totals where the hiding log's own summary counts nothing", async () => {
    const xml = "test/fixtures/death-tests/fast-327.xml";
    const text = await cli(["summarize", xml]);
    expect(text.stdout).not.toContain("indirectly-lost");
    const html = await cli(["summarize", xml, "-f", "html"]);
    expect(html.stdout).toContain(
      '<th scope="row">indirectly-lost</th><td><span class="muted">none</span></td><td>0 bytes in 0 blocks</td>',
    );
    // Beside a 3.19 XML log that hid it with no summary, the 3.27 log's nothing is not the
    // whole story: the row still says how to show it.
    const old = "test/fixtures/valgrind-xml/hidden-kinds/vg-default.xml";
    const merged = await cli(["summarize", old, xml, "-f", "html"]);
    expect(merged.stdout).toContain(
      '<th scope="row">indirectly-lost</th><td><span class="muted">not shown (rerun with --show-leak-kinds=all)</span></td><td>0 bytes in 0 blocks</td>',
    );
    // And in the text totals, which left the row out.
    const mergedText = await cli(["summarize", old, xml]);
    expect(mergedText.stdout).toMatch(
      /^ {2}indirectly-lost {2}not shown \(rerun with --show-leak-kinds=all\) {2}\(tool's summary[^:]*: 0 bytes in 0 blocks\)$/m,
    );
  });

  it("are a sentence under the Markdown totals table, which lists groups only", async () => {
    const { stdout } = await cli(["summarize", DEFAULT_KINDS, "-f", "markdown"]);
    expect(stdout).toContain(
      "_Valgrind's LEAK SUMMARY also counts 8 bytes in 1 block indirectly lost, 200 bytes in 1 block still reachable that the loss records do not show: rerun with --show-leak-kinds=all to list them._",
    );
  });

  it("are, for Valgrind's own suppressions, never called unlisted", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/suppressed.txt"]);
    expect(stdout).toContain(
      "  suppressed       hidden by Valgrind's own suppressions  (tool's summary: 80 bytes in 2 blocks)",
    );
  });

  // Campaign v10: the XML of a --show-leak-kinds=none run (protocol 4: no LEAK SUMMARY) read
  // as clean, while --fail-on error failed on it as unable to tell.
  it("keep an XML log whose run hid definite leaks from reading as clean", async () => {
    const log = "test/fixtures/valgrind-xml/hidden-kinds/vg-none.xml";
    const hid =
      "but 1 log's run hid definite or possible leaks from the loss records (rerun with --show-leak-kinds=all)";
    const text = await cli(["summarize", log]);
    expect(text.stdout).toContain(`No leaks or memory errors found in what was read, ${hid}.`);
    const markdown = await cli(["summarize", log, "-f", "markdown"]);
    expect(markdown.stdout).toContain(
      `## leaklog: no leaks or memory errors in what was read, ${hid}`,
    );
    // The same run's default kinds hide only what Valgrind does not count as errors.
    const shown = await cli(["summarize", "samples/valgrind-xml/clean.xml"]);
    expect(shown.stdout).toContain("No leaks or memory errors found.");
  });

  // Campaign ab: the gate's line said 4096 under Totals that said 4,096.
  it("are written in the gate's reasons as the Totals write numbers", async () => {
    const log = "samples/valgrind/stack_overflow.txt";
    const args = ["--fail-on", "still-reachable", "--max-bytes", "still-reachable=0"];
    const { stdout } = await cli(["summarize", log, ...args]);
    expect(stdout).toContain("LEAK SUMMARY reports 4,096 bytes in 1 blocks still reachable");
    expect(stdout).toContain("--max-bytes still-reachable=0: 4,096 bytes (4,096 of them only in");
  });

  // Campaign v10: an LSan log's suppressed bytes were said to be Valgrind's.
  it("are, for another tool's suppressions, not said to be Valgrind's", async () => {
    const { stdout } = await cli(["summarize", "samples/sanitizer/lsan-suppressions.log"]);
    expect(stdout).toMatch(/ {2}suppressed {7}hidden by the tool's own suppressions {2}\(/);
  });

  // --leak-check=full lists definite and possible leaks only: reachable bytes were sent to it,
  // and its run did not list them either.
  it("are sent to the option that lists them, by kind", async () => {
    const log = "samples/valgrind/leak_all_summary.txt";
    const { stdout } = await cli(["summarize", log, "--fail-on", "any"]);
    expect(stdout).toContain(
      "but the log has no loss records for them: rerun with --leak-check=full --show-leak-kinds=all to see where they were allocated.",
    );
    expect(stdout).toContain(
      "  --fail-on any: Valgrind's LEAK SUMMARY reports 96 bytes in 3 blocks definitely lost, 48 bytes in 3 blocks indirectly lost, 80 bytes in 1 blocks possibly lost, 200 bytes in 1 blocks still reachable with no loss records (run with --leak-check=full --show-leak-kinds=all for stacks)",
    );
    const definite = await cli(["summarize", log, "--fail-on", "error"]);
    expect(definite.stdout).toContain(
      "possibly lost with no loss records (run with --leak-check=full for stacks)",
    );
  });
});

// Campaigns by Q4, bz Q2: Valgrind lists no suppressed record and still counts the blocks it
// points to as indirectly lost; "No leaks or memory errors found" stood beside Totals that
// count them, and --fail-on indirectly-lost failed.
describe("indirectly lost blocks of a suppressed leak", () => {
  const DIR = "test/fixtures/valgrind/suppressed-owner";
  const SAID =
    "Valgrind's LEAK SUMMARY counts 40 bytes in 1 block indirectly lost that no loss record shows (most likely blocks a suppressed leak points to: rerun with --show-leak-kinds=all to list them)";

  it("are named where the summary would say no leaks were found", async () => {
    const log = `${DIR}/suppressed.log`;
    const text = await cli(["summarize", log]);
    expect(text.stdout).toContain(`\nNo leaks or memory errors listed, but ${SAID}.\n`);
    expect(text.stdout).not.toContain("No leaks or memory errors found");
    const markdown = await cli(["summarize", log, "-f", "markdown"]);
    expect(markdown.stdout).toContain(
      `## leaklog: no leaks or memory errors listed, but ${SAID}\n`,
    );
    const html = await cli(["summarize", log, "-f", "html"]);
    expect(html.stdout).toContain("No leaks or memory errors listed, but Valgrind&#39;s LEAK");
  });

  it("are named after the suppressions leaklog applied", async () => {
    const { stdout } = await cli([
      "summarize",
      `${DIR}/unsuppressed.log`,
      "--suppressions",
      `${DIR}/owner.supp`,
    ]);
    expect(stdout).toContain(
      `\nNo leaks or memory errors listed outside suppressions (1 group suppressed), but ${SAID}.\n`,
    );
  });

  it("are not named where a finding is listed, whose blocks they may be", async () => {
    const { stdout } = await cli(["summarize", `${DIR}/unsuppressed.log`]);
    expect(stdout).toContain(
      "ERROR   definitely-lost  48 (8 direct, 40 indirect) bytes in 1 blocks",
    );
    expect(stdout).not.toContain("no loss record shows");
  });
});

// Campaign cc F3: a protocol 6 XML whose check listed no record made its default-hidden still
// reachable blocks a leak without loss records, gated where the text log of the run passed.
describe("still reachable blocks a 3.27 run hid by default, in XML", () => {
  const DIR = "test/fixtures/valgrind-xml/hidden-kinds";

  it("are not shown, as in the text log of the same run, and pass --fail-on any", async () => {
    for (const log of ["reachable-3.27.txt", "reachable-3.27.xml"]) {
      const { code, stdout } = await cli(["summarize", `${DIR}/${log}`, "--fail-on", "any"]);
      expect([log, code]).toEqual([log, 0]);
      expect(stdout, log).toContain(
        "  still-reachable  not shown (rerun with --show-leak-kinds=all)  (tool's summary: 100 bytes in 1 blocks)",
      );
      expect(stdout, log).not.toContain("Leaks without loss records");
    }
  });
});
