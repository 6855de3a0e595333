import { join } from "node:path";
import { parseFile } from "../../../src/api/parse.js";
import { summarize } from "../../../src/api/summarize.js";
import type { Group, Report } from "../../../src/model/index.js";
import type { PageData } from "../../../src/report/html/data.js";
import { ROOT, expectGoldenText, parseSample, sampleFiles } from "../../helpers/golden.js";

/** This folder's fixtures: a hostile log and reconstructed sources of two samples. */
export const FIXTURES = join(ROOT, "test", "report", "html", "fixtures");
/** `--source-root` for the samples whose sources are reconstructed in fixtures/src. */
export const SOURCE_ROOT = join(FIXTURES, "src");

/** Every sample folder and the file endings its logs have; folders not there yet are skipped. */
const SAMPLE_FOLDERS: readonly (readonly [string, readonly string[]])[] = [
  ["valgrind", [".txt"]],
  ["valgrind-xml", [".xml"]],
  ["memleax", [".log"]],
  ["memwatch", [".log"]],
  ["sanitizer", [".log"]],
];

/** `[folder, name]` of every sample present when the tests run. */
export function allSamples(): [string, string][] {
  return SAMPLE_FOLDERS.flatMap(([folder, ext]) =>
    sampleFiles(folder, ext).map((name): [string, string] => [folder, name]),
  );
}

/** A report over samples, with repository-relative paths so that output is stable. */
export async function sampleReport(
  samples: readonly (readonly [string, string])[],
): Promise<Report> {
  return summarize(await Promise.all(samples.map(([folder, name]) => parseSample(folder, name))));
}

/** A report over one fixture log of this folder. */
export async function fixtureReport(name: string): Promise<Report> {
  const path = `test/report/html/fixtures/${name}`;
  return summarize([await parseFile(join(ROOT, path), { path })]);
}

const STATUSES = ["new", "unchanged", "fixed"] as const;

/** The report with baseline statuses cycling new, unchanged, fixed over its groups. */
export function withBaseline(report: Report): Report {
  const groups = report.groups.map((g, i): Group => ({
    ...g,
    baseline: STATUSES[i % STATUSES.length] ?? "new",
  }));
  return { ...report, groups };
}

/** The report's groups repeated up to `count`, each with its own kind, bytes and function. */
export function manyGroups(report: Report, count: number): Report {
  const groups: Group[] = [];
  for (let i = 0; groups.length < count; i++) {
    const base = report.groups[i % report.groups.length];
    if (base === undefined) throw new Error("the report has no groups to repeat");
    const stack = base.stack.map((f, k) => (k === 1 ? { ...f, function: `fn_${i}` } : f));
    groups.push({ ...base, fingerprint: `f${i}`, bytes: (i * 7919) % 100_003, stack });
  }
  return { ...report, groups };
}

/** The data block of a rendered page, parsed the way the page's script parses it. */
export function dataBlock(html: string): PageData {
  const match = /<script type="application\/json" id="leaklog-data">([\s\S]*?)<\/script>/.exec(
    html,
  );
  if (match?.[1] === undefined) throw new Error("no data block in the page");
  return JSON.parse(match[1]) as PageData;
}

/** Compares a page with `test/golden/report/html/<name>` (see expectGoldenText). */
export function expectGoldenPage(name: string, text: string): void {
  expectGoldenText(`report/html/${name}`, text);
}
