import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readOwnSources } from "../../../src/cli/sources.js";
import type { Report } from "../../../src/model/index.js";
import { htmlReporter } from "../../../src/report/html/index.js";
import type { ReportContext } from "../../../src/report/types.js";
import {
  SOURCE_ROOT,
  allSamples,
  dataBlock,
  expectGoldenPage,
  fixtureReport,
  sampleReport,
  withBaseline,
} from "./helpers.js";
import { cli } from "../../helpers/cli.js";

// Every element the reporter itself writes; log text must never add another.
const OUR_TAGS = new Set(
  (
    "html head meta title style body header main section h1 h2 p span strong code div figure svg " +
    "text rect table caption thead tbody tr th td details summary ul li br label select option " +
    "input button noscript script"
  ).split(" "),
);

function tagsOutsideScripts(html: string): Set<string> {
  const markup = html
    .replace(/<script[^>]*>[\s\S]*?<\/script>/g, "")
    .replace(/<style>[\s\S]*?<\/style>/, "");
  return new Set(
    [...markup.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => (m[1] ?? "").toLowerCase()),
  );
}

async function contexts(report: Report): Promise<[string, ReportContext][]> {
  const sources = await readOwnSources(report, SOURCE_ROOT);
  return [
    ["plain", { color: false, top: 20 }],
    ["with a source root", { color: false, top: 20, sourceRoot: SOURCE_ROOT, sources }],
  ];
}

describe("the HTML report over every sample", () => {
  it.each(allSamples())("%s/%s renders with and without baseline and source root", async (...s) => {
    const report = await sampleReport([s]);
    for (const variant of [report, withBaseline(report)]) {
      for (const [, context] of await contexts(variant)) {
        const html = htmlReporter.render(variant, context);
        expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
        expect(html.match(/<script/g)).toHaveLength(2);
        for (const tag of tagsOutsideScripts(html)) expect(OUR_TAGS).toContain(tag);
        const data = dataBlock(html);
        expect(data.groups.map((g) => g.kind)).toEqual(variant.groups.map((g) => g.kind));
        expect(data.hasBaseline).toBe(variant.groups.length > 0 && variant !== report);
        expect(html.includes('id="filter-baseline"')).toBe(data.hasBaseline);
        expect(html).not.toContain(SOURCE_ROOT);
        expect(htmlReporter.render(variant, context)).toBe(html);
      }
    }
  });
});

describe("the HTML report's content", () => {
  it("matches the golden page for use_after_free.txt with its sources", async () => {
    // A fixed version, so that a release does not change the golden page.
    const report = {
      ...(await sampleReport([["valgrind", "use_after_free.txt"]])),
      generator: { name: "leaklog" as const, version: "0.0.0-golden" },
    };
    const sources = await readOwnSources(report, SOURCE_ROOT);
    const html = htmlReporter.render(report, {
      color: false,
      top: 20,
      sourceRoot: SOURCE_ROOT,
      sources,
    });
    expectGoldenPage("use_after_free.txt.html", html);
  });

  it("shows source lines around own-code frames, aux stacks and members", async () => {
    const report = await sampleReport([["valgrind", "use_after_free.txt"]]);
    const sources = await readOwnSources(report, SOURCE_ROOT);
    expect([...sources.keys()]).toEqual(["use_after_free.c"]);
    const data = dataBlock(
      htmlReporter.render(report, { color: false, top: 20, sourceRoot: SOURCE_ROOT, sources }),
    );
    const first = data.groups[0];
    expect(first?.stack[0]).toMatchObject({
      fn: "main",
      file: "use_after_free.c",
      line: 20,
      own: true,
    });
    const snippet = data.snippets[first?.stack[0]?.snippet ?? -1];
    expect(snippet).toMatchObject({ file: "use_after_free.c", start: 17, focus: 20 });
    expect(snippet?.lines[3]).toContain("read after free");
    expect(first?.aux.map((a) => a.stack.find((f) => f.own)?.fn)).toEqual(["destroy", "make"]);
    expect(first?.aux[0]?.stack[0]).toMatchObject({ fn: "free", own: false });
    expect(first?.members[0]).toMatchObject({
      path: "samples/valgrind/use_after_free.txt",
      pid: 18728,
    });
  });

  // Campaign bf: the page named no line of a group but its first, and headed a sanitizer
  // error by its pc, bp and sp, where the text summary names each line and the access.
  it("names a group's other places and heads an error as the text summary does", async () => {
    const report = await sampleReport([["valgrind", "use_after_free.txt"]]);
    const data = dataBlock(htmlReporter.render(report, { color: false, top: 20 }));
    expect(data.groups[0]?.elsewhere).toEqual(["also at main (use_after_free.c:26)"]);
    const asan = await sampleReport([["sanitizer", "asan-global-overflow.log"]]);
    const head = dataBlock(htmlReporter.render(asan, { color: false, top: 20 })).groups[0];
    expect(head?.message).toBe(
      "READ of size 1, 0 bytes to the right of global variable 'g_table' defined in 'asan-global-overflow.c:4:6' of size 10",
    );
  });

  it("puts the tools' summaries and their disagreements beside the totals", async () => {
    const report = await sampleReport([["valgrind", "leak_indirect.txt"]]);
    const mismatch = {
      severity: "warning" as const,
      code: "summary-mismatch",
      message: "definitely-lost: records add up to 56 bytes, <b>the summary</b> says 60",
      path: "samples/valgrind/leak_indirect.txt",
    };
    const html = htmlReporter.render(
      { ...report, diagnostics: [mismatch] },
      { color: false, top: 20 },
    );
    expect(html).toContain("The records do not add up to the tool's own summary");
    expect(html).toContain("&lt;b&gt;the summary&lt;/b&gt; says 60");
    expect(html).toMatch(
      /definitely-lost<\/th><td>56 bytes in 2 blocks<\/td><td>56 bytes in 2 blocks/,
    );
    expect(html).toContain('<svg class="chart" role="img"');
  });

  it("escapes hostile text in the markup and embeds it as inert JSON", async () => {
    const report = await fixtureReport("hostile.txt");
    const html = htmlReporter.render(report, { color: false, top: 20 });
    for (const tag of tagsOutsideScripts(html)) expect(OUR_TAGS).toContain(tag);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain("./evil &lt;b&gt;bold&lt;/b&gt; &quot;quoted&quot; &#39;single&#39;");
    expect(html).toContain("&lt;iframe src=");
    expect(html).toContain("&gt;&lt;/iframe&gt; not a valgrind line");
    expect(html).toContain("\\u003cimg src=x onerror=alert(1)\\u003e");
    const names = dataBlock(html).groups.flatMap((g) => g.stack.map((f) => f.fn));
    expect(names).toContain("<img src=x onerror=alert(1)>");
    expect(names).toContain("<script>alert(1)</script>");
  });

  it("says when a log is incomplete and lists every diagnostic", async () => {
    const report = await sampleReport([["valgrind", "many_errors.txt"]]);
    const html = htmlReporter.render(report, { color: false, top: 20 });
    expect(report.sources[0]?.complete).toBe(false);
    expect(html).toContain('<tr class="incomplete">');
    expect(html).toContain(
      '<strong class="sev-warning">incomplete</strong>: Valgrind stopped reporting errors for PID 19159: More than 1000 different errors detected.',
    );
    expect(html).toContain(`Diagnostics (${report.diagnostics.length})`);
  });

  // Campaign ch Q14: every incomplete log was "truncated or a limit was hit", where
  // --xtree-leak=yes wrote its leaks to another file and a traced child wrote over the log.
  it("says why a log is incomplete, by its cause", async () => {
    const state = async (log: string): Promise<string> => {
      const html = (await cli(["summarize", log, "-f", "html"])).stdout;
      return /<tr class="incomplete">(?:<td>.*?<\/td>){3}<td>(.*?)<\/td>/.exec(html)?.[1] ?? "";
    };
    const xtree = await state("test/fixtures/valgrind-xml/xtree-leak/xtree-3.24.xml");
    expect(xtree).toBe(
      '<strong class="sev-warning">incomplete</strong>: leaks were written to xtleak.kcg.16808 (--xtree-leak=yes), not to this log: leaklog cannot count them; run without --xtree-leak for loss records',
    );
    const overwritten = await state(
      "test/fixtures/valgrind/log-file-shared/overwritten-leak/vg.log",
    );
    expect(overwritten).toContain(
      "a child traced with --trace-children=yes opened the same --log-file again and wrote over the log from its start",
    );
    expect(overwritten).not.toContain("truncated");
  });
});

describe("the HTML report with a baseline", () => {
  it("shows a fixed group's amounts from the baseline, not its zeroed ones", async () => {
    const { stdout } = await cli(["summarize", "samples/valgrind/leak_indirect.txt", "-f", "json"]);
    const dir = mkdtempSync(join(tmpdir(), "leaklog-html-"));
    const baseline = join(dir, "base.json");
    writeFileSync(baseline, stdout);
    const definite = "samples/valgrind/leak_definite.txt";
    const html = (await cli(["summarize", definite, "--baseline", baseline, "-f", "html"])).stdout;
    const fixed = dataBlock(html).groups.filter((g) => g.baseline === "fixed");
    expect(fixed.map((g) => [g.kind, g.bytes, g.blocks, g.occurrences])).toEqual([
      ["definitely-lost", 168, 1, 1],
      ["definitely-lost", 160, 1, 1],
      // The tree's nodes two and three calls of build_tree deep: one group (campaign ca Q2).
      ["indirectly-lost", 144, 6, 6],
      ["indirectly-lost", 128, 4, 1],
    ]);
  });
});
