import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { writeOutput } from "../../src/cli/write-output.js";
import { ROOT } from "../helpers/golden.js";

const WRITE_OUTPUT = pathToFileURL(join(ROOT, "dist", "src", "cli", "write-output.js")).href;

/**
 * A process writing a 4 MiB report to `report.json` in `dir` with the CLI's writeOutput, which
 * sends itself `signal` a few pieces in: a real signal, reaching the real listeners, mid-write.
 * With `taken`, another listener takes the signal first, as main.ts's live-pipe Ctrl-C does.
 */
function writeSignalled(
  dir: string,
  signal: "SIGINT" | "SIGTERM",
  taken = false,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const script = `
    import { writeOutput } from ${JSON.stringify(WRITE_OUTPUT)};
    const [dir, signal, taken] = process.argv.slice(1);
    if (taken === "taken") process.on(signal, () => undefined);
    function* pieces() {
      for (let i = 0; i < 64; i += 1) {
        if (i === 8) process.kill(process.pid, signal);
        yield "x".repeat(1 << 16);
      }
    }
    await writeOutput("report.json", dir, pieces());
  `;
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", script, dir, signal, taken ? "taken" : ""],
    { stdio: "inherit" },
  );
  return new Promise((done) => child.on("exit", (code, signal) => done({ code, signal })));
}

function oldReport(): string {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-signal-"));
  writeFileSync(join(dir, "report.json"), "old report\n");
  return dir;
}

describe("--output when the run is interrupted while the report is written", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s leaves the previous report and no temporary file, and still ends the run",
    async (signal) => {
      // A cancelled CI job left a hidden .report.json.PID.tmp as big as the report each time
      // (campaign bi F4).
      const dir = oldReport();
      expect(await writeSignalled(dir, signal)).toEqual({ code: null, signal });
      expect(readdirSync(dir)).toEqual(["report.json"]);
      expect(readFileSync(join(dir, "report.json"), "utf8")).toBe("old report\n");
    },
  );

  it("writes the report whole when another listener takes the signal", async () => {
    // A live pipe's first Ctrl-C only says that reading goes on (see main.ts): no run ends.
    const dir = oldReport();
    expect(await writeSignalled(dir, "SIGINT", true)).toEqual({ code: 0, signal: null });
    expect(readdirSync(dir)).toEqual(["report.json"]);
    expect(readFileSync(join(dir, "report.json"), "utf8")).toHaveLength(64 << 16);
  });

  it("stops listening for signals once the report is written", async () => {
    // Else Ctrl-C would wait for the event loop, or a listener would pile up per write.
    const before = ["SIGINT", "SIGTERM"].map((s) => process.listenerCount(s));
    await writeOutput("report.json", oldReport(), ["new report\n"]);
    expect(["SIGINT", "SIGTERM"].map((s) => process.listenerCount(s))).toEqual(before);
  });
});
