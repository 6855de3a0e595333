import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

// Campaign ab: `valgrind --track-fds=yes --log-file=vg.txt ./prog 9</dev/null` (prog.c leaks a
// file and both ends of a pipe). A group's message is its first record's, so four descriptors
// the process was given read as "Open file descriptor 251: (4 occurrences)", one descriptor
// left open four times, and the Markdown table gave all three groups one severity.
describe("descriptors left open", () => {
  const LOG = "test/fixtures/valgrind/fds-inherited/vg.txt";

  it("are each named in their group's head, in the text summary", async () => {
    const { stdout } = await cli(["summarize", LOG]);
    expect(stdout).toContain(
      "WARNING FdNotClosed  Open file descriptors 6, 5  (2 occurrences)\n        at main (prog.c:6)\n",
    );
    expect(stdout).toContain(
      "NOTE    FdNotClosed  Open file descriptors 251, 10 (/dev/null), 9 (/dev/null), 3 (/tmp/camp-ab/repro/fd-inherited-wording/out/vg.txt)  (4 occurrences)\n        <inherited from parent>\n",
    );
    // One descriptor keeps Valgrind's own words.
    expect(stdout).toContain("Open file descriptor 4: /etc/hostname  (1 occurrence)");
  });

  it("are named in Markdown too, with a table row per kind and severity", async () => {
    const { stdout } = await cli(["summarize", LOG, "-f", "markdown"]);
    expect(stdout).toContain("### 1. WARNING `FdNotClosed`: `Open file descriptors 6, 5`");
    expect(stdout).toContain("| `FdNotClosed` | warning | 2 | 3 | – | – |");
    expect(stdout).toContain("| `FdNotClosed` | note | 1 | 4 | – | – |");
  });
});

// Campaign bk: a deadly signal's head was its headline, registers and all.
describe("a sanitizer's deadly signal", () => {
  it("is headed by its access and hint, a stack overflow by its address alone", async () => {
    const segv = await cli(["summarize", "samples/sanitizer/asan-segv.log", "-f", "markdown"]);
    expect(segv.stdout).toContain(
      "`SEGV`: `WRITE memory access on unknown address 0x000000000010 (address points to the zero page)`",
    );
    // ASan prints no high value address; another thread's crash says which (campaign v14).
    const high = await cli(["summarize", "test/fixtures/sanitizer/high-value/hv.log"]);
    expect(high.stdout).toContain(
      "SEGV  READ memory access on unknown address (this fault was caused by a dereference of a high value address)  (",
    );
    const thread = await cli(["summarize", "test/fixtures/sanitizer/threads/asan3_2.txt"]);
    expect(thread.stdout).toContain("(address points to the zero page) in thread T1  (");
    const overflow = await cli(["summarize", "samples/sanitizer/gen-stack-overflow.log"]);
    expect(overflow.stdout).toMatch(
      /ERROR {3}stack-overflow {2}stack-overflow on address 0x[0-9a-f]+ {2}\(/,
    );
    expect(overflow.stdout).not.toContain(" bp 0x");
  });
});

// Campaign ab: an ASan error's head said its kind again, then pc, bp and sp, and left out the
// access and where it fell.
describe("a sanitizer's access", () => {
  it("is the head of its group, in its own words without addresses", async () => {
    const uaf = await cli(["summarize", "samples/sanitizer/asan-use-after-free.log"]);
    expect(uaf.stdout).toContain(
      "ERROR   heap-use-after-free  READ of size 8, 8 bytes inside of 16-byte region  (1 occurrence)",
    );
    const global = await cli([
      "summarize",
      "samples/sanitizer/asan-global-overflow.log",
      "-f",
      "markdown",
    ]);
    expect(global.stdout).toContain(
      "`READ of size 1, 0 bytes to the right of global variable 'g_table' defined in 'asan-global-overflow.c:4:6' of size 10`",
    );
    // Without an access of known size the tool's headline stays, less its registers.
    const dbl = await cli(["summarize", "samples/sanitizer/asan-double-free.log"]);
    expect(dbl.stdout).toContain("ERROR   double-free  attempting double-free on 0x");
  });
});

// Campaign v10 Q4: ThreadSanitizer's head was its report type (`data race`), the kind again;
// a group of Helgrind's races in one function said nothing of the write beside the read.
describe("races", () => {
  it("are headed by ThreadSanitizer's access and its place", async () => {
    const { stdout } = await cli(["summarize", "test/fixtures/sanitizer/tsan/read-write.log"]);
    expect(stdout).toContain(
      "ERROR   data-race  Read of size 4 by thread T2, global 'g' of size 4  (1 occurrence)\n",
    );
    const markdown = await cli([
      "summarize",
      "test/fixtures/sanitizer/tsan/read-write.log",
      "-f",
      "markdown",
    ]);
    expect(markdown.stdout).toContain(
      "### 1. ERROR `data-race`: `Read of size 4 by thread T2, global 'g' of size 4`",
    );
    // A report whose first stack is no access keeps its type.
    const leak = await cli(["summarize", "test/fixtures/sanitizer/tsan/leak.log"]);
    expect(leak.stdout).toContain("ERROR   thread-leak  thread leak  (1 occurrence)");
  });

  it("say where a group's other access is, in its own words", async () => {
    const log = "test/fixtures/valgrind-xml/threads/read-write.xml";
    const { stdout } = await cli(["summarize", log]);
    expect(stdout).toContain(
      "        also at worker (read-write.c:5): Possible data race during read of size 4 at 0x10C024 by thread #3\n",
    );
  });
});

// Campaign bb Q1: the CI formats named a group of descriptors after its first one, and headed
// a sanitizer error by its pc, bp and sp.
describe("the CI formats' heads", () => {
  it.each(["sarif", "github", "codequality", "junit"])(
    "are the text summary's (%s)",
    async (format) => {
      const fds = await cli(["summarize", "samples/valgrind/fd_leak.txt", "-f", format]);
      expect(fds.stdout).toContain("Open file descriptors 6, 5 (2 occurrences)");
      const asan = await cli([
        "summarize",
        "samples/sanitizer/asan-use-after-free.log",
        "-f",
        format,
      ]);
      expect(asan.stdout).toContain("READ of size 8, 8 bytes inside of 16-byte region");
      expect(asan.stdout).not.toContain(" bp 0x");
    },
  );
});

// Campaign br Q3: `diff` keeps no records, so it headed a sanitizer's error with its headline,
// registers and all (`heap-buffer-overflow on address 0x6040… at pc 0x5594… bp … sp …`), for
// a new group and a fixed one alike.
describe("groups diff lists", () => {
  it("are headed by the tool's headline less its registers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leaklog-heads-"));
    const old = join(dir, "old.json");
    const write = "samples/sanitizer/asan-heap-overflow-write.log";
    const read = "samples/sanitizer/asan-heap-overflow-read.log";
    expect((await cli(["summarize", write, "-f", "json", "-o", old])).code).toBe(0);
    const { stdout } = await cli(["diff", old, read]);
    // diff lists the records as summarize does, and heads the group by its access and region.
    expect(stdout).toMatch(
      /\n {2}heap-buffer-overflow READ of size 4, 0 bytes to the right of 40-byte region {2}at /,
    );
    expect(stdout).not.toMatch(/ at pc 0x| bp 0x| sp 0x/);
  });
});
