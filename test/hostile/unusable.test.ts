import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse, parseChunks, parseStream } from "../../src/api/parse.js";
import { cli } from "../helpers/cli.js";
import { ROOT } from "../helpers/golden.js";
import {
  expectCleanMessages,
  runBin,
  tempDir,
  VALGRIND_HEAD,
  valgrindLeak,
  write,
} from "./helpers.js";

const dir = tempDir();
const SAMPLE = join(ROOT, "samples", "valgrind", "leak_definite.txt");

/** Deterministic pseudo-random bytes (xorshift32), so the test cannot flake. */
function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** Runs `summarize` on one input: exit 2 and exactly one clean line on stderr matching `why`. */
async function expectUnusable(path: string, why: RegExp): Promise<void> {
  const { code, stdout, stderr } = await cli(["summarize", path]);
  expect(code).toBe(2);
  expect(stdout).toBe("");
  expectCleanMessages(stderr);
  expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(why);
}

describe("inputs that cannot be used: exit 2, one clear line, no stack trace", () => {
  it("an empty file, saying that a clean valgrind -q run writes one", async () => {
    // `valgrind -q` of a program with no error and no leak wrote 0 bytes (valgrind 3.19).
    await expectUnusable(
      write(dir, "empty.log", ""),
      /empty\.log: empty input: .*valgrind -q writes nothing when it has no error or leak record/,
    );
  });

  it("a file of blank lines", async () => {
    await expectUnusable(write(dir, "blank.log", "\n \r\n\t\n"), /empty input/);
  });

  it.each([1, 2, 3, 4, 5])("random bytes (seed %i) are called binary data", async (seed) => {
    await expectUnusable(
      write(dir, `random-${seed}.bin`, randomBytes(8192, seed)),
      /random-\d\.bin: binary data, not a text log/,
    );
  });

  it("NUL bytes and nothing else, or NULs then random bytes, are binary data", async () => {
    await expectUnusable(
      write(dir, "zeros.bin", new Uint8Array(20_000)),
      /zeros\.bin: binary data/,
    );
    const after = Buffer.concat([new Uint8Array(3000), randomBytes(8192, 7)]);
    await expectUnusable(write(dir, "hole-random.bin", after), /hole-random\.bin: binary data/);
  });

  it("an ELF executable", async () => {
    const elf = write(dir, "prog", readFileSync(process.execPath).subarray(0, 64 << 10));
    await expectUnusable(elf, /prog: an executable \(ELF\), not a log/);
  });

  it("damaged gzip data, saying so", async () => {
    const gz = gzipSync(readFileSync(SAMPLE));
    // A cut inside gzip's header: nothing can be decompressed (a later cut keeps what came).
    const cut = write(dir, "valgrind.txt.gz", gz.subarray(0, 6));
    await expectUnusable(cut, /valgrind\.txt\.gz: damaged gzip data \(.+\): nothing could be/);
  });

  it("zstd-compressed data says to decompress it first", async () => {
    const zst = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), randomBytes(200, 3)]);
    await expectUnusable(write(dir, "valgrind.txt.zst", zst), /zstd-compressed data: decompress/);
  });

  it("a directory", async () => {
    const sub = join(dir, "logs");
    mkdirSync(sub);
    await expectUnusable(sub, /logs: cannot read .*logs: is a directory, not a log file/);
  });

  it("a missing file", async () => {
    await expectUnusable(join(dir, "nope.log"), /nope\.log: cannot read .*: no such file/);
  });

  it.skipIf(process.getuid?.() === 0)(
    "an unreadable file (skipped as root: root reads every file, so the check cannot fail)",
    async () => {
      const path = write(dir, "secret.log", VALGRIND_HEAD + valgrindLeak(8));
      chmodSync(path, 0o000);
      await expectUnusable(path, /secret\.log: cannot read .*: permission denied/);
    },
  );

  it("another tool's text", async () => {
    await expectUnusable(write(dir, "ls.txt", "total 0\n-rw-r--r-- 1 a b 0 x\n"), /not a log/);
  });

  it("the real bin exits 2 with one clean line for each bad input and reports the good one", () => {
    const good = join(dir, "good.txt");
    copyFileSync(SAMPLE, good);
    write(dir, "empty2.log", "");
    const run = runBin(["summarize", "good.txt", "empty2.log", "missing.log", "-f", "json"], dir);
    expect(run.code).toBe(2);
    expectCleanMessages(run.stderr);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "leaklog: empty2.log: empty input: no log lines to read (valgrind -q writes nothing when it has no error or leak record to print, nor any leak without --leak-check=full, and --xml=yes writes its records to the XML file only; a tool that crashed before writing leaves nothing either; --allow-empty reads such logs as clean runs)",
      "leaklog: missing.log: cannot read missing.log: no such file",
    ]);
    const report = JSON.parse(run.stdout) as { leaks: unknown[] };
    expect(report.leaks.length).toBeGreaterThan(0);
  });
});

describe("inputs that are no regular file", () => {
  it.skipIf(process.platform === "win32")(
    "a named pipe (`<(zcat vg.log.gz)`, mkfifo) is read as it comes, not at a position",
    async () => {
      const fifo = join(dir, "vg.fifo");
      execFileSync("mkfifo", [fifo]);
      // Opening a pipe's writing end waits for its reader: the writer runs beside the CLI.
      const writer = createWriteStream(fifo);
      writer.end(readFileSync(SAMPLE));
      const { code, stdout, stderr } = await cli(["summarize", fifo, "-f", "json"]);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const whole = await cli(["summarize", SAMPLE, "-f", "json"]);
      const leaks = (out: string) => (JSON.parse(out) as { leaks: unknown[] }).leaks.length;
      expect(leaks(stdout)).toBe(leaks(whole.stdout));
      expect(leaks(stdout)).toBeGreaterThan(0);
    },
  );

  it("a reader that fails part way keeps what it read and marks the log incomplete", async () => {
    const bytes = readFileSync(SAMPLE);
    const cut = bytes.lastIndexOf("LEAK SUMMARY");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, cut);
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    const whole = parse(bytes, { path: "vg.txt" });
    const read = await parseChunks(failing(), { path: "vg.txt" });
    expect(read.fatal).toBeUndefined();
    expect(read.leaks).toEqual(whole.leaks);
    expect(read.source.complete).toBe(false);
    expect(read.diagnostics).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        code: "incomplete",
        message: `reading stopped after ${cut} bytes: EIO: i/o error, read`,
      }),
    );
  });

  it("a reader that fails before any byte is unreadable input, not an internal error", async () => {
    // eslint-disable-next-line require-yield
    async function* failing(): AsyncGenerator<Uint8Array> {
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    const read = await parseChunks(failing(), { path: "vg.txt" });
    expect(read.fatal).toEqual({
      code: "unreadable-input",
      message: "reading stopped after 0 bytes: EIO: i/o error, read",
    });
  });
});

describe("endless inputs known to be unusable", () => {
  /**
   * A stream of `chunk` as good as endless, counting what was taken of it; it ends after 1,000
   * chunks so that a reader that does not stop fails the test rather than hangs it.
   */
  function endless(chunk: Uint8Array) {
    const taken = { chunks: 0 };
    async function* stream(): AsyncGenerator<Uint8Array> {
      while (taken.chunks < 1000) {
        taken.chunks += 1;
        yield await Promise.resolve(chunk);
      }
    }
    return { stream: stream(), taken };
  }

  it("are read no further once refused (cat /dev/zero | leaklog summarize -)", async () => {
    // Binary data was read forever after its first 8 KiB were judged, and a core file to its end.
    const zeros = endless(new Uint8Array(65536));
    const binary = await parseChunks(zeros.stream, { path: "-" });
    expect(binary.fatal?.code).toBe("binary-input");
    // NULs that open an input are read up to the line cap (1 MiB): a hole that a traced child
    // left in a shared log may be that long, and is judged by what follows it (InputProbe).
    expect(zeros.taken.chunks).toBe(16);
    // Program output with no log in it (`yes | leaklog summarize -`) is no such input: a
    // checker's output may follow any number of its lines (campaign bs F1), so it is read to its
    // end, and refused there.
    const text = endless(new TextEncoder().encode("y\n".repeat(100)));
    const unknown = await parseChunks(text.stream, { path: "-" });
    expect(unknown.fatal?.code).toBe("unknown-format");
    expect(text.taken.chunks).toBe(1000);
  });

  it("the streaming API ends too", async () => {
    const zeros = endless(new Uint8Array(65536));
    const events = [];
    for await (const event of parseStream(zeros.stream)) events.push(event.type);
    expect(events.at(-1)).toBe("end");
    expect(zeros.taken.chunks).toBe(16);
    const random = endless(randomBytes(65536, 3));
    for await (const event of parseStream(random.stream)) events.push(event.type);
    expect(random.taken.chunks).toBe(1);
  });

  it("a binary or endless suppression file is refused at once, not read into memory", async () => {
    for (const file of ["/dev/zero", "/dev/urandom"]) {
      const { code, stderr } = await cli(["summarize", SAMPLE, "--suppressions", file]);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `leaklog: --suppressions ${file}: cannot read it: binary data, no suppression file\n`,
      );
    }
  });

  it("a working directory deleted under the shell is no crash (exit 1 was the gate's code)", () => {
    const gone = join(tempDir(), "gone");
    mkdirSync(gone);
    const bin = join(ROOT, "bin", "leaklog.js");
    const script = `cd "$1" && rmdir "$1" && "$2" "$3" summarize "$4" x.txt; echo "rc=$?"`;
    const run = spawnSync("sh", ["-c", script, "sh", gone, process.execPath, bin, SAMPLE], {
      encoding: "utf8",
    });
    expect(run.stdout).toContain("definitely-lost");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("rc=2");
    expect(run.stderr).toBe("leaklog: x.txt: cannot read x.txt: no such file\n");
  });
});

describe("the binary check does not depend on how the input is chunked", () => {
  const cases: [string, Uint8Array][] = [
    ["gzip", gzipSync(readFileSync(SAMPLE))],
    ["a log with a stray control byte first", Buffer.from(`\u0001${VALGRIND_HEAD}`)],
    ["random bytes after one text byte", Buffer.concat([Buffer.from("x"), randomBytes(9000, 9)])],
  ];
  it.each(cases)("%s", async (_name, bytes) => {
    const whole = parse(bytes, { path: "-" });
    for (const first of [1, 2, 3, 100]) {
      const split = await parseChunks([bytes.subarray(0, first), bytes.subarray(first)], {
        path: "-",
      });
      expect(split.fatal, `first chunk of ${first} bytes`).toEqual(whole.fatal);
    }
  });
});
