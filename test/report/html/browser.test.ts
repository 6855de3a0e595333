import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOwnSources } from "../../../src/cli/sources.js";
import type { Report } from "../../../src/model/index.js";
import { htmlReporter } from "../../../src/report/html/index.js";
import { CHROMIUM, HAS_CHROMIUM, launch, openReport, type OpenedPage } from "./browser.js";
import {
  SOURCE_ROOT,
  allSamples,
  fixtureReport,
  manyGroups,
  sampleReport,
  withBaseline,
} from "./helpers.js";

const TITLE = HAS_CHROMIUM
  ? "the HTML report in headless Chromium"
  : `the HTML report in headless Chromium (SKIPPED: ${CHROMIUM} is missing; apt-get install -y chromium)`;
if (!HAS_CHROMIUM) console.warn(`browser tests skipped: ${CHROMIUM} is missing`);

const TMP = mkdtempSync(join(tmpdir(), "leaklog-html-browser-"));
let browser: Browser;

/** Writes the report's page to a file; with `sources`, reads them as the CLI would. */
async function write(name: string, report: Report, sources = false): Promise<string> {
  const context = sources
    ? {
        color: false,
        top: 20,
        sourceRoot: SOURCE_ROOT,
        sources: await readOwnSources(report, SOURCE_ROOT),
      }
    : { color: false, top: 20 };
  const file = join(TMP, name);
  writeFileSync(file, htmlReporter.render(report, context));
  return file;
}

/** The text of one column (0-based) over the visible group rows. */
function column(opened: OpenedPage, index: number): Promise<string[]> {
  return opened.page.locator(`#groups-body tr.group td:nth-child(${index + 1})`).allTextContents();
}

/** Leaves nothing behind but what the test expects: no errors, no dialogs, no requests. */
function expectClean(opened: OpenedPage, file: string): void {
  expect(opened.errors).toEqual([]);
  expect(opened.dialogs).toEqual([]);
  expect(opened.requests).toEqual([`file://${file}`]);
}

describe.skipIf(!HAS_CHROMIUM)(TITLE, () => {
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(TMP, { recursive: true, force: true });
  });

  it("opens every sample's report with no console error and no request", async () => {
    const file = await write("all.html", await sampleReport(allSamples()), true);
    const opened = await openReport(browser, file);
    expect(await opened.page.locator("#groups-body tr.group").count()).toBe(100);
    expect(await opened.page.locator("svg.chart").count()).toBe(1);
    expectClean(opened, file);
    await opened.close();
  });

  it("sorts by a column and filters by kind, severity and text", async () => {
    const report = await sampleReport([
      ["valgrind", "use_after_free.txt"],
      ["valgrind", "leak_indirect.txt"],
      ["valgrind", "leak_all_full.txt"],
    ]);
    const file = await write("sort.html", report);
    const opened = await openReport(browser, file);
    const { page } = opened;
    const bytes = async (): Promise<number[]> =>
      (await column(opened, 2)).map((t) => Number(t.replace(/,/g, "")) || 0);
    await page.getByRole("button", { name: "bytes" }).click();
    expect(await page.locator('th[data-key="bytes"]').getAttribute("aria-sort")).toBe("descending");
    expect(await bytes()).toEqual([...(await bytes())].sort((a, b) => b - a));
    await page.getByRole("button", { name: "bytes" }).click();
    expect(await bytes()).toEqual([...(await bytes())].sort((a, b) => a - b));
    await page.locator("#filter-kind").selectOption("InvalidRead");
    expect(await column(opened, 1)).toEqual(["InvalidRead"]);
    await page.locator("#filter-kind").selectOption("");
    await page.locator("#filter-severity").selectOption("warning");
    expect(new Set(await column(opened, 0))).toEqual(new Set(["warning"]));
    await page.locator("#filter-severity").selectOption("");
    await page.locator("#filter-text").fill("BUILD_LIST");
    expect(await column(opened, 6)).toEqual([
      "build_list (leak_indirect.c:29)",
      "build_list (leak_indirect.c:29)",
    ]);
    await page.locator("#filter-text").fill("no such function");
    await expect
      .poll(() => page.locator("#groups-status").textContent())
      .toMatch(/^No groups match/);
    expectClean(opened, file);
    await opened.close();
  });

  it("filters by baseline status", async () => {
    const report = withBaseline(await sampleReport([["valgrind", "leak_all_full.txt"]]));
    const file = await write("baseline.html", report);
    const opened = await openReport(browser, file);
    await opened.page.locator("#filter-baseline").selectOption("new");
    const expected = report.groups.filter((g) => g.baseline === "new").length;
    expect(await column(opened, 7)).toEqual(Array.from({ length: expected }, () => "new"));
    await opened.page.getByRole("button", { name: "baseline" }).click();
    await opened.page.locator("#filter-baseline").selectOption("");
    expect((await column(opened, 7))[0]).toBe("new");
    expectClean(opened, file);
    await opened.close();
  });

  it("expands a group by keyboard and by click, with own frames and source lines", async () => {
    const file = await write(
      "expand.html",
      await sampleReport([["valgrind", "use_after_free.txt"]]),
      true,
    );
    const opened = await openReport(browser, file);
    const { page } = opened;
    await page.locator("#groups-table th button").last().focus();
    await page.keyboard.press("Tab");
    const first = page.locator("tr.group").first();
    // Page-side code as strings: the tests compile without the DOM library.
    const focused = "document.activeElement === document.querySelector('tr.group')";
    await expect.poll(() => page.evaluate(focused)).toBe(true);
    expect(await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")).toBe(
      "solid",
    );
    await page.keyboard.press("Enter");
    expect(await first.getAttribute("aria-expanded")).toBe("true");
    const detail = page.locator("tr.detail").first();
    expect(await detail.locator("ol.stack li.own").first().textContent()).toContain(
      "main (use_after_free.c:20)",
    );
    expect(await detail.locator("pre.snippet span.focus").first().textContent()).toContain(
      "read after free",
    );
    expect(await detail.textContent()).toContain("Block was alloc'd at");
    expect(await detail.textContent()).toContain("samples/valgrind/use_after_free.txt");
    await page.keyboard.press(" ");
    expect(await page.locator("tr.detail").count()).toBe(0);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await page.locator("tr.group").nth(1).getAttribute("aria-expanded")).toBe("true");
    await first.click();
    expect(await page.locator("tr.detail").count()).toBe(2);
    expectClean(opened, file);
    await opened.close();
  });

  it("shows hostile function names as text and runs none of them", async () => {
    const file = await write("hostile.html", await fixtureReport("hostile.txt"));
    const opened = await openReport(browser, file);
    const { page } = opened;
    for (const row of await page.locator("tr.group").all()) await row.click();
    const text = (await page.locator("#groups-body").textContent()) ?? "";
    expect(text).toContain("<img src=x onerror=alert(1)>");
    expect(text).toContain("<script>alert(1)</script>");
    expect(text).toContain("</script><script>alert(2)</script>");
    expect(await page.locator("body").textContent()).toContain("./evil <b>bold</b>");
    expect(await page.locator("img, iframe, b").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(2);
    expect(await page.locator("svg").count()).toBe(1);
    expectClean(opened, file);
    await opened.close();
  });

  it("shows bidirectional overrides and isolates in log text as U+FFFD", async () => {
    // "Trojan Source": U+202E in a name reads reordered (campaign bqa Q3).
    const report = await fixtureReport("hostile.txt");
    const [group, ...rest] = report.groups;
    if (group === undefined) throw new Error("no group");
    const stack = group.stack.map((f, i) =>
      i === 0 ? { ...f, function: "bidi\u202eevil\u2066x\u2069" } : f,
    );
    const hostile = { ...report, groups: [{ ...group, stack }, ...rest] };
    const file = await write("bidi.html", hostile);
    const opened = await openReport(browser, file);
    const { page } = opened;
    await page.locator("tr.group").first().click();
    // What is shown: the script's data block holds the name as the log has it.
    const text = (await page.locator("#groups-body").textContent()) ?? "";
    expect(text).toContain("bidi\ufffdevil\ufffdx\ufffd");
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expectClean(opened, file);
    await opened.close();
  });

  it("stays fast with 10,000 groups and follows the dark colour scheme", async () => {
    const report = manyGroups(await sampleReport([["valgrind", "leak_all_full.txt"]]), 10_000);
    const file = await write("many.html", report);
    const started = Date.now();
    const opened = await openReport(browser, file, "dark");
    const { page } = opened;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await page.locator("#groups-status").textContent()).toBe(
      "Showing 1–100 of 10,000 groups.",
    );
    await page.getByRole("button", { name: "bytes" }).click();
    const most = Math.max(...report.groups.map((g) => g.bytes));
    expect((await column(opened, 2))[0]).toBe(most.toLocaleString("en-US"));
    await page.getByRole("button", { name: "Next" }).click();
    expect(await page.locator("#groups-status").textContent()).toBe(
      "Showing 101–200 of 10,000 groups.",
    );
    await page.locator("#filter-text").fill("fn_9999");
    expect(await page.locator("tr.group").count()).toBe(1);
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    expect(background).toBe("rgb(13, 17, 23)");
    expectClean(opened, file);
    await opened.close();
  });

  // For people reviewing the look: LEAKLOG_SCREENSHOTS=dir npx vitest run test/report/html
  const shots = process.env["LEAKLOG_SCREENSHOTS"];
  it.skipIf(shots === undefined)(
    "takes light and dark screenshots into $LEAKLOG_SCREENSHOTS",
    async () => {
      const report = await sampleReport([
        ["valgrind", "use_after_free.txt"],
        ["valgrind", "leak_indirect.txt"],
        ["valgrind", "leak_all_full.txt"],
      ]);
      const file = await write("shots.html", withBaseline(report), true);
      for (const scheme of ["light", "dark"] as const) {
        const opened = await openReport(browser, file, scheme);
        await opened.page.locator("tr.group").first().click();
        await opened.page.locator("tr.group").nth(5).click();
        await opened.page.screenshot({
          path: join(shots ?? "", `report-${scheme}.png`),
          fullPage: true,
        });
        expectClean(opened, file);
        await opened.close();
      }
    },
  );
});
