import { execFileSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "leaklog-fifo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Campaign be: `-o report.fifo` opened the pipe to read, to tell a checker's log it would
// overwrite, and waited for a writer that was itself.
describe("--output to a named pipe", () => {
  it("writes the report to the pipe's reader", async () => {
    const fifo = join(dir, "report.fifo");
    execFileSync("mkfifo", [fifo]);
    const chunks: Buffer[] = [];
    const reader = new Promise<string>((resolve, reject) => {
      createReadStream(fifo)
        .on("data", (chunk) => chunks.push(chunk as Buffer))
        .on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
        .on("error", reject);
    });
    const { code, stderr } = await cli([
      "summarize",
      "samples/valgrind/leak_definite.txt",
      "-f",
      "json",
      "-o",
      fifo,
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(await reader)).toMatchObject({ schemaVersion: 1 });
  });
});
