import { describe, expect, it } from "vitest";
import { parseFile, summarize } from "../../../src/index.js";
import { cli } from "../../helpers/cli.js";

// Campaign bw F8: real runs, text and XML of each (fixtures/valgrind-xml/fds-inherited).
const DIR = "test/fixtures/valgrind-xml/fds-inherited";

/** Each descriptor left open: its number, severity and aux lines, by descriptor. */
async function descriptors(name: string) {
  const result = await parseFile(`${DIR}/${name}`);
  return result.errors
    .filter((e) => e.kind === "FdNotClosed")
    .map((e) => ({
      fd: /^Open .+? (\d+)/.exec(e.message)?.[1],
      severity: e.severity,
      aux: e.aux,
      frames: e.stack.length > 0,
    }))
    .sort((a, b) => Number(a.fd) - Number(b.fd));
}

describe("descriptors inherited from the parent, protocols 5 and 6", () => {
  it.each(["clean-fds-3.24", "fds-all-3.27"])(
    "%s: the XML's are the text log's, notes with <inherited from parent>",
    async (run) => {
      const xml = await descriptors(`${run}.xml`);
      expect(xml).toEqual(await descriptors(`${run}.txt`));
      const inherited = xml.filter((d) => d.severity === "note").map((d) => d.fd);
      expect(inherited).toEqual(
        run === "fds-all-3.27" ? ["0", "1", "2", "10", "251"] : ["10", "251"],
      );
      for (const d of xml.filter((d) => d.severity === "note"))
        expect(d).toMatchObject({ aux: [{ message: "<inherited from parent>" }], frames: false });
    },
  );

  it("keeps a socket's unescaped <unbound> as words, as the text log prints them (campaign bw Q1)", async () => {
    const messages = async (name: string) => {
      const result = await parseFile(`${DIR}/${name}`);
      const sockets = result.errors.filter((e) => e.message.includes("socket"));
      return {
        messages: sockets.map((e) => e.message),
        codes: result.diagnostics.map((d) => d.code),
      };
    };
    const xml = await messages("fds-all-3.27.xml");
    expect(xml.messages).toEqual(["Open AF_INET socket 6: <unbound> <-> <unbound>"]);
    expect(xml.codes).not.toContain("xml-unclosed-element");
    expect((await messages("fds-all-3.27.txt")).messages).toEqual(xml.messages);
  });

  it("passes --fail-on warning on the XML of a clean 3.24 run, as on its text log", async () => {
    for (const name of ["clean-fds-3.24.xml", "clean-fds-3.24.txt"]) {
      const report = summarize([await parseFile(`${DIR}/${name}`)], {
        gate: { failOn: ["warning"], maxBytes: {} },
      });
      expect(report.gate?.failed, name).toBe(false);
    }
  });

  it("names every inherited descriptor in the XML's group head, as in the text log's", async () => {
    for (const name of ["clean-fds-3.24.xml", "clean-fds-3.24.txt"]) {
      const { stdout } = await cli(["summarize", `${DIR}/${name}`]);
      expect(stdout, name).toContain(
        "NOTE    FdNotClosed  Open file descriptors 251, 10 (/dev/null)  (2 occurrences)",
      );
    }
  });
});
