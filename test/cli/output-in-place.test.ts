import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeOutput } from "../../src/cli/write-output.js";

// Tests may run as root, whom no directory refuses, and without mounts: the file system answers
// as a read-only directory and a bind-mounted file do (both seen for real as a user and in a
// container: /tmp/camp-k, 08-output-in-place.sh).
const refuse = { create: false, rename: false };
vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const failure = (code: string, message: string) =>
    Promise.reject(Object.assign(new Error(`${code}: ${message}`), { code }));
  const open: typeof fs.open = (path, ...rest) =>
    refuse.create && String(path).endsWith(".tmp")
      ? failure("EACCES", `permission denied, open '${String(path)}'`)
      : fs.open(path, ...rest);
  const rename: typeof fs.rename = (from, to) =>
    refuse.rename ? failure("EBUSY", "resource busy or locked, rename") : fs.rename(from, to);
  return { ...fs, open, rename, default: { ...fs, open, rename } };
});

afterEach(() => {
  refuse.create = false;
  refuse.rename = false;
});

function reportFile(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "leaklog-out-"));
  const path = join(dir, "report.json");
  writeFileSync(path, "old report\n");
  return { dir, path };
}

describe("--output where no file can be made beside it or the file cannot be replaced", () => {
  it("writes a report file in a read-only directory in place, as > FILE does", async () => {
    const { dir, path } = reportFile();
    refuse.create = true;
    await writeOutput("report.json", dir, ["new ", "report\n"]);
    expect(readFileSync(path, "utf8")).toBe("new report\n");
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });

  it("copies the report into a bind-mounted file, which rename cannot replace", async () => {
    const { dir, path } = reportFile();
    refuse.rename = true;
    await writeOutput("report.json", dir, ["new report\n"]);
    expect(readFileSync(path, "utf8")).toBe("new report\n");
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });

  it("still says why when the file itself cannot be written either", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-out-"));
    refuse.create = true;
    await expect(writeOutput("sub/report.json", dir, ["x"])).rejects.toThrow(
      /^cannot write --output sub\/report.json: ENOENT/,
    );
  });
});

describe("--output over an existing report", () => {
  it("keeps the file's permissions, as > FILE does: a private report stays private", async () => {
    for (const mode of [0o600, 0o640, 0o444, 0o4755]) {
      const { dir, path } = reportFile();
      chmodSync(path, mode);
      await writeOutput("report.json", dir, ["new report\n"]);
      expect(readFileSync(path, "utf8")).toBe("new report\n");
      // A report is no program: a setuid bit is not carried over.
      expect(statSync(path).mode & 0o7777).toBe(mode & 0o777);
    }
  });

  it("makes a new report with the default mode", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-out-"));
    await writeOutput("fresh.json", dir, ["report\n"]);
    expect(statSync(join(dir, "fresh.json")).mode & 0o777).toBe(0o666 & ~process.umask());
  });
});
