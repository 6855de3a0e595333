import { execFileSync } from "node:child_process";
import {
  constants,
  copyFileSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { finished } from "node:stream/promises";
import { memleax, memwatch } from "./generate-other.js";
import { valgrindText } from "./generate-valgrind.js";
import { valgrindXml } from "./generate-xml.js";
import { splitByProcess } from "./split-processes.js";

/**
 * `npm run bench [-- SIZES [FORMATS [ROUNDS]]]`: generates deterministic logs (bench/out, not in git),
 * then measures, each in its own process, Node's plain line scan, `leaklog summarize --format
 * json` and the streaming API on the same warm file; prints a table and writes it to
 * bench/out/results.md for the README's performance section.
 */
const GENERATORS: Readonly<Record<string, (bytes: number) => Generator<string>>> = {
  "valgrind-text": valgrindText,
  "valgrind-xml": valgrindXml,
  memleax,
  memwatch,
};
/** Bumped whenever generated logs change: 2 gives each call site one address (random.ts). */
const GENERATOR_VERSION = 2;
const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, "..", "..", "bench", "out");

async function generate(format: string, bytes: number): Promise<string> {
  // The generator's version is in the name, so that logs cached by an older one are not reused.
  const file = join(OUT, `${format}-${bytes >> 20}M-g${GENERATOR_VERSION}.log`);
  if (existsSync(file)) return file;
  mkdirSync(OUT, { recursive: true });
  const out = createWriteStream(file);
  for (const chunk of (GENERATORS[format] as (b: number) => Generator<string>)(bytes)) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  out.end();
  await finished(out);
  return file;
}

interface Measurement {
  mode: string;
  ms: number;
  maxRssMiB: number;
}

function measure(mode: string, ...files: string[]): Measurement {
  const script = join(HERE, "measure.js");
  const out = execFileSync(process.execPath, [script, mode, ...files], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1) as string) as Measurement;
}

function parseSize(text: string): number {
  const m = /^(\d+)([MG])$/i.exec(text);
  if (m === null) throw new Error(`size like 100M or 1G, got ${text}`);
  return Number(m[1]) * (m[2]?.toUpperCase() === "G" ? 1 << 30 : 1 << 20);
}

/** Floors measured for a format (see bench/floors.ts). */
const FLOORS: Readonly<Record<string, readonly string[]>> = {
  "valgrind-text": ["framescan", "framebytes"],
  "valgrind-xml": ["elementscan"],
};

const LABELS: Readonly<Record<string, string>> = {
  linescan: "Node line scan",
  framescan: "floor: line strings + frame names read",
  framebytes: "floor: bytes + frame names read",
  elementscan: "floor: line strings + fn/file elements read",
  summarize: "summarize --format json",
  summarize1: "summarize --format json, one thread",
  summarizeThreads: "summarize --format json, threads forced",
  stream: "parseStream API",
};

const sizes = (process.argv[2] ?? "100M,1G").split(",").map(parseSize);
const formats = (process.argv[3] ?? "valgrind-text,valgrind-xml,memleax,memwatch").split(",");
/**
 * Rounds of every measurement. This machine's timings drift by 10-40% within minutes (a shared
 * VM), enough to move a ratio measured once by a third; the modes of one input are measured in
 * turn, round after round, and each row gives the median time and the highest peak RSS.
 */
const ROUNDS = Number(process.argv[4] ?? 3);
const rows: string[] = [
  "| input | size | what | time (s) | MB/s | peak RSS (MiB) | time / line scan |",
  "| --- | --- | --- | --- | --- | --- | --- |",
];
for (const format of formats) {
  for (const size of sizes) {
    if (size > 200 << 20 && (format === "memleax" || format === "memwatch")) continue;
    const file = await generate(format, size);
    const megabytes = statSync(file).size / 1e6;
    measure("linescan", file); // warm the page cache
    const modes = ["linescan", ...(FLOORS[format] ?? []), "summarize", "stream"];
    const [scan, ...rest] = inRounds(modes.map((mode) => [mode, file]));
    for (const m of [scan as Measurement, ...rest]) {
      addRow(format, `${Math.round(megabytes)} MB`, m, megabytes, (scan as Measurement).ms);
    }
    if (format === "valgrind-text" && size <= 200 << 20) {
      // Several files at once: worker threads (forced: by default the CLI uses them only when
      // the files beyond the largest reach 256 MiB), against the same files on one thread.
      const copies = threeCopies(file);
      const runs = inRounds([
        ["summarizeThreads", ...copies],
        ["summarize1", ...copies],
      ]);
      for (const m of runs) {
        addRow(
          format,
          `3 x ${Math.round(megabytes)} MB`,
          m,
          3 * megabytes,
          3 * (scan as Measurement).ms,
        );
      }
      // The same bytes as a log per process (see splitByProcess), given as a glob.
      const split = await splitByProcess(file);
      const logs = readdirSync(split).filter((name) => name.endsWith(".log")).length;
      const [many] = inRounds([["summarize", join(split, "*.log")]]);
      const label = `${Math.round(megabytes)} MB in ${logs} logs`;
      addRow(format, label, many as Measurement, megabytes, (scan as Measurement).ms);
    }
  }
}

/** Each [mode, ...files] measured ROUNDS times, in turn; the median time, the highest RSS. */
function inRounds(jobs: readonly string[][]): Measurement[] {
  const runs: Measurement[][] = jobs.map(() => []);
  for (let round = 0; round < ROUNDS; round += 1) {
    jobs.forEach(([mode, ...files], i) => runs[i]?.push(measure(mode as string, ...files)));
  }
  return runs.map((all) => {
    const byTime = [...all].sort((a, b) => a.ms - b.ms);
    const median = byTime[Math.floor((byTime.length - 1) / 2)] as Measurement;
    return { ...median, maxRssMiB: Math.max(...all.map((m) => m.maxRssMiB)) };
  });
}

function addRow(
  format: string,
  size: string,
  m: Measurement,
  megabytes: number,
  scanMs: number,
): void {
  const label = LABELS[m.mode] ?? m.mode;
  const row = `| ${format} | ${size} | ${label} | ${(m.ms / 1000).toFixed(2)} | ${(megabytes / (m.ms / 1000)).toFixed(0)} | ${m.maxRssMiB.toFixed(0)} | ${(m.ms / scanMs).toFixed(2)}x |`;
  rows.push(row);
  console.log(row);
}

/**
 * Three copies of the log, so that they count as 3 inputs. Copies, not hard links: leaklog reads
 * a file once whatever its names (src/cli/file-identity.ts), so three links to the log measured
 * one file's parse, at 105 MB/s "for 3 x 105 MB" (the README's table of 2026-12-06).
 */
function threeCopies(file: string): string[] {
  const { ino } = statSync(file);
  return [1, 2, 3].map((n) => {
    const copy = file.replace(/\.log$/, `-copy${n}.log`);
    if (existsSync(copy) && statSync(copy).ino === ino) unlinkSync(copy);
    if (!existsSync(copy)) copyFileSync(file, copy, constants.COPYFILE_FICLONE);
    return copy;
  });
}
const machine = `node ${process.version}, ${execFileSync("nproc", { encoding: "utf8" }).trim()} cores`;
writeFileSync(
  join(OUT, "results.md"),
  `${rows.join("\n")}\n\nMeasured with \`npm run bench\` on ${machine}: median time of ${ROUNDS} rounds, highest peak RSS.\n`,
);
console.log(`\n${rows.join("\n")}\n\nwritten to bench/out/results.md`);
