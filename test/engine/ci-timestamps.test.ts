import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseChunks } from "../../src/api/parse.js";
import { found } from "../helpers/found.js";
import { ROOT, sampleFiles } from "../helpers/golden.js";

// Each CI system's stamp, as its log has it before every line (see src/engine/ci-timestamps.ts).
const STAMPS: Record<string, (n: number) => string> = {
  "GitHub Actions": (n) => `2024-05-01T12:${clock(n)}.${String(n % 1e7).padStart(7, "0")}Z `,
  "GitLab, stderr": (n) => `2024-05-01T12:${clock(n)}.${String(n % 1e6).padStart(6, "0")}Z 01E `,
  "docker logs -t": (n) => `2024-05-01T12:${clock(n)}.${String(n).padStart(9, "0")}Z `,
  "kubectl, trimmed": (n) => `2024-05-01T12:${clock(n)}${n % 3 === 0 ? "" : `.${n % 10}1`}Z `,
  "local time zone": (n) => `2024-05-01T12:${clock(n)}.5+02:00 `,
  // `gh run view --log`: the job's and the step's names, tab-separated, before GitHub's stamp.
  "gh run view --log": (n) =>
    `build (ubuntu-latest, gcc)\t${n < 3 ? "Set up job" : "Run valgrind ./test"}\t` +
    `2024-05-01T12:${clock(n)}.${String(n % 1e7).padStart(7, "0")}Z `,
  // Buildkite's raw log: an escape sequence its viewer hides, milliseconds since the epoch.
  Buildkite: (n) => `\x1b_bk;t=${1745322209921 + n * 37}\x07`,
  // Campaign bl: Jenkins' Timestamper in a Pipeline's console log, and Docker BuildKit's plain
  // progress (a step's number and its seconds), both refused as no log before.
  "Jenkins Timestamper": (n) =>
    `[2024-05-01T12:${clock(n)}.${String(n % 1000).padStart(3, "0")}Z] `,
  "docker build --progress=plain": (n) => `#9 ${(n / 100).toFixed(3)} `,
  // Jenkins' Timestamper's clock form and `docker compose up`'s container name (see
  // src/engine/console-prefixes.ts), refused as no log before too.
  "Jenkins Timestamper, clock": (n) => `10:${clock(n)}  `,
  "docker compose up": () => "tests-1  | ",
};

const clock = (n: number) =>
  `${String(Math.floor(n / 60) % 60).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}`;

const stamped = (text: string, stamp: (n: number) => string) =>
  text
    .split("\n")
    .map((line, i, all) => (i === all.length - 1 && line === "" ? "" : stamp(i) + line))
    .join("\n");

// One log of every input format, text and XML: all must read as they do without stamps.
const LOGS = [
  ["valgrind", "leak_indirect.txt"],
  ["valgrind", "threads.txt"],
  ["valgrind-xml", "leak_indirect.xml"],
  ["memleax", "02-multi-stacks-malloc-calloc-realloc.log"],
  ["memwatch", sampleFiles("memwatch", [".log"])[0] ?? ""],
  ["sanitizer", "asan-heap-overflow-read.log"],
] as const;

const read = (folder: string, name: string) =>
  readFileSync(join(ROOT, "samples", folder, name), "utf8");

describe("logs kept by CI systems, with a timestamp before every line", () => {
  for (const [folder, name] of LOGS) {
    it(`read as the log they hold: ${folder}/${name}`, () => {
      const text = read(folder, name);
      const plain = found(parse(text, { path: "log" }));
      expect(plain.leaks.length + plain.errors.length).toBeGreaterThan(0);
      for (const [ci, stamp] of Object.entries(STAMPS))
        expect(found(parse(stamped(text, stamp), { path: "log" })), ci).toEqual(plain);
    });
  }

  it("give the same result however the bytes are chunked", async () => {
    const text = read("valgrind", "leak_indirect.txt");
    const plain = found(parse(text, { path: "log" }));
    const bytes = Buffer.from(stamped(text, STAMPS["GitLab, stderr"] as (n: number) => string));
    for (const size of [1, 5, 64, 4096]) {
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
      expect(found(await parseChunks(chunks, { path: "log" })), `chunks of ${size}`).toEqual(plain);
    }
  });

  it("lose them with the format forced too", () => {
    const text = read("valgrind", "leak_indirect.txt");
    const plain = found(parse(text, { path: "log", inputFormat: "valgrind" }));
    const github = stamped(text, STAMPS["GitHub Actions"] as (n: number) => string);
    expect(found(parse(github, { path: "log", inputFormat: "valgrind" }))).toEqual(plain);
  });

  it("join GitLab's continued lines (`01E+`) to the line they go on from", () => {
    // The runner flushes a line the program wrote in pieces (no newline yet) as two lines.
    const text = read("valgrind", "leak_indirect.txt");
    const lines = text.split("\n");
    const cut = lines.flatMap((line, i) => {
      const stamp = `2024-05-01T12:00:${String(i % 60).padStart(2, "0")}.000001Z 01E`;
      if (i % 4 !== 1 || line.length < 10)
        return i === lines.length - 1 ? [] : [`${stamp} ${line}`];
      return [`${stamp} ${line.slice(0, 7)}`, `${stamp}+${line.slice(7)}`];
    });
    const joined = parse(`${cut.join("\n")}\n`, { path: "log" });
    const plain = parse(text, { path: "log" });
    expect(withoutLines(found(joined).leaks)).toEqual(withoutLines(found(plain).leaks));
    expect(withoutLines(joined.summaries)).toEqual(withoutLines(plain.summaries));
    expect(joined.diagnostics).toEqual([]);
    // A joined line is numbered as its first part: the last record starts further down.
    expect(joined.leaks.at(-1)?.location.line).toBeGreaterThan(
      plain.leaks.at(-1)?.location.line ?? Infinity,
    );
  });

  it("leave a log alone whose first line has no stamp, and a program's stamped lines in it", () => {
    const text = read("valgrind", "leak_indirect.txt");
    const lines = text.split("\n");
    const mixed = [lines[0], "2024-05-01T12:00:00Z program says hello", ...lines.slice(1)];
    const result = parse(mixed.join("\n"), { path: "log" });
    expect(result.source.counters.programLines).toBe(1);
    expect(result.leaks.length).toBe(parse(text, { path: "log" }).leaks.length);
  });
});

describe("a UTF-8 byte order mark", () => {
  it("is no part of the first line, in any format", () => {
    for (const [folder, name] of LOGS) {
      const text = read(folder, name);
      const plain = found(parse(text, { path: "log" }));
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
      expect(found(parse(bom, { path: "log" })), name).toEqual(plain);
      expect(found(parse(`\uFEFF${text}`, { path: "log" })), name).toEqual(plain);
    }
  });
});

/** A copy without the `line` fields, which a joined line moves. */
function withoutLines(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === "line" ? undefined : v)));
}

describe("what valgrind-listener saves: a connection number before every line", () => {
  const read = (name: string) => {
    const path = `test/fixtures/valgrind/listener/${name}`;
    return parse(readFileSync(join(ROOT, path), "utf8"), { path });
  };

  it("reads --log-socket's two processes, every line understood", () => {
    const result = read("log-socket.out");
    expect(result.source.format).toBe("valgrind");
    expect(result.source.complete).toBe(true);
    expect(result.source.processes).toHaveLength(2);
    expect(result.leaks.map((l) => l.bytes).reduce((a, b) => a + b, 0)).toBe(175);
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead", "InvalidRead"]);
    expect(result.source.counters.unrecognizedLines).toBe(0);
    expect(result.diagnostics).toEqual([]);
  });

  it("reads --xml-socket's document", () => {
    const result = read("xml-socket.out");
    expect(result.source.format).toBe("valgrind-xml");
    expect(result.source.complete).toBe(true);
    expect(result.leaks.map((l) => l.bytes)).toEqual([40, 100]);
    expect(result.errors.map((e) => e.kind)).toEqual(["InvalidRead"]);
    expect(result.diagnostics).toEqual([]);
  });
});
