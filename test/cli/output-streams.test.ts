import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OutputError, writeOutput } from "../../src/cli/write-output.js";
import { ROOT } from "../helpers/golden.js";

// The process boundary (src/cli/main.ts): what the real standard streams do when they fail.
const BIN = join(ROOT, "bin", "leaklog.js");
const FAILING_GATE = ["summarize", "samples/valgrind/leak_indirect.txt", "--fail-on", "error"];

/** Runs the bin with its standard output on a pipe whose reader is gone before it writes. */
function withClosedPipe(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT });
    child.stdout.destroy(); // `leaklog ... | head -c 0`: the reader closes its end at once
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

const devFull = existsSync("/dev/full") ? describe : describe.skip;

describe("a standard output closed early (`| head`)", () => {
  it("keeps the run's exit code: a failed gate is 1, not a pass", async () => {
    const run = await withClosedPipe([...FAILING_GATE, "--format", "json"]);
    expect(run).toEqual({ code: 1, stderr: "" });
  });

  it("keeps exit code 2 for an unusable input", async () => {
    const run = await withClosedPipe(["summarize", "nope.txt"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("leaklog: nope.txt: cannot read nope.txt: no such file\n");
  });
});

devFull("a standard stream that cannot be written (/dev/full)", () => {
  it("on standard output, is exit 2 with one line that says so", () => {
    const full = openSync("/dev/full", "w");
    try {
      const run = spawnSync(process.execPath, [BIN, ...FAILING_GATE, "--format", "json"], {
        cwd: ROOT,
        stdio: ["ignore", full, "pipe"],
        encoding: "utf8",
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        "leaklog: cannot write to standard output: ENOSPC: no space left on device, write\n",
      );
    } finally {
      closeSync(full);
    }
  });

  it("on standard error, still writes the report to --output and exits with the run's code", () => {
    const out = join(mkdtempSync(join(tmpdir(), "leaklog-")), "report.json");
    const full = openSync("/dev/full", "w");
    try {
      const args = ["summarize", "samples/valgrind/leak_definite.txt", "nope.txt", "-f", "json"];
      const run = spawnSync(process.execPath, [BIN, ...args, "-o", out], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", full],
        encoding: "utf8",
      });
      expect(run.status).toBe(2);
      const report = JSON.parse(readFileSync(out, "utf8")) as { sources: unknown[] };
      expect(report.sources).toHaveLength(2);
    } finally {
      closeSync(full);
    }
  });
});

describe("--output", () => {
  devFull("that cannot be written says so in one line, exit 2, not as an internal error", () => {
    it("/dev/full", () => {
      const run = spawnSync(process.execPath, [BIN, ...FAILING_GATE, "-o", "/dev/full"], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        "leaklog: cannot write --output /dev/full: ENOSPC: no space left on device, write\n",
      );
    });
  });

  it("is replaced whole or not at all: a write that fails leaves the previous report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-output-"));
    const report = join(dir, "report.json");
    writeFileSync(report, "the previous report\n");
    function* failing(): Generator<string> {
      yield "x".repeat(1 << 17);
      throw new Error("killed");
    }
    await expect(writeOutput("report.json", dir, failing())).rejects.toThrow(
      new OutputError("cannot write --output report.json: killed"),
    );
    expect(readFileSync(report, "utf8")).toBe("the previous report\n");
    // Nothing is left beside it.
    expect(readdirSync(dir)).toEqual(["report.json"]);
    await writeOutput("report.json", dir, ["the next one\n"]);
    expect(readFileSync(report, "utf8")).toBe("the next one\n");
  });

  it("through a link, replaces the link's target and keeps the link", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-output-"));
    writeFileSync(join(dir, "target.json"), "old\n");
    symlinkSync(join(dir, "target.json"), join(dir, "latest.json"));
    await writeOutput("latest.json", dir, ["new\n"]);
    expect(lstatSync(join(dir, "latest.json")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "target.json"), "utf8")).toBe("new\n");
  });
});
