import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CLIENT_SCRIPT } from "../../../src/report/html/client.js";
import { embedJson, embedJsonPieces, escapeHtml } from "../../../src/report/html/escape.js";
import { STYLES } from "../../../src/report/html/styles.js";
import { contentSecurityPolicy, cspHash } from "../../../src/report/html/template.js";

describe("escapeHtml", () => {
  it("escapes every character that can open markup or end an attribute", () => {
    expect(escapeHtml(`<img src=x onerror="alert(1)">&'`)).toBe(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;",
    );
    expect(escapeHtml("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("escapes already-escaped text again, so entities in logs show as typed", () => {
    expect(escapeHtml("&lt;b&gt;")).toBe("&amp;lt;b&amp;gt;");
  });

  it("replaces control characters but keeps tabs, line breaks and other text", () => {
    expect(escapeHtml("a\u0000b\u001b[31mc\u009bd\te\nf")).toBe("a\ufffdb\ufffd[31mc\ufffdd\te\nf");
    expect(escapeHtml("naïve 漢字 \u{1f600}")).toBe("naïve 漢字 \u{1f600}");
  });
});

describe("embedJson", () => {
  const hostile = {
    fn: "</script><script>alert(1)</script>",
    comment: "<!-- <script>",
    amp: "a && b > c",
    separators: "line\u2028para\u2029end",
  };

  it("leaves no <, >, & or U+2028/9 in the output", () => {
    const text = embedJson(hostile);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain("\\u003c/script\\u003e");
    expect(text).toContain("\\u2028");
  });

  it("gives the value back unchanged through JSON.parse", () => {
    expect(JSON.parse(embedJson(hostile))).toEqual(hostile);
    const everything = String.fromCharCode(...Array.from({ length: 0x3000 }, (_, i) => i));
    expect(JSON.parse(embedJson({ everything }))).toEqual({ everything });
  });
});

describe("the page's script and policy", () => {
  it("builds the DOM without any string-to-code or string-to-HTML sink", () => {
    for (const sink of [
      "innerHTML",
      "outerHTML",
      "insertAdjacentHTML",
      "document.write",
      "eval(",
    ]) {
      expect(CLIENT_SCRIPT).not.toContain(sink);
    }
    expect(CLIENT_SCRIPT).not.toMatch(/new Function|setTimeout\(\s*["'`]/);
    expect(CLIENT_SCRIPT).not.toContain("</script");
  });

  it("allows only the hashes of our own script and stylesheet, and nothing to load", () => {
    const sha = (text: string): string => createHash("sha256").update(text).digest("base64");
    const policy = contentSecurityPolicy();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src 'sha256-${sha(CLIENT_SCRIPT)}'`);
    expect(policy).toContain(`style-src 'sha256-${sha(STYLES)}'`);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(cspHash("")).toBe("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  });
});

describe("embedJsonPieces", () => {
  const group = (i: number) => ({ message: `</script><!-- ${i} & \u2028 <b>`, bytes: i });
  it.each([0, 1, 8, 9, 20])("gives embedJson's text for %i groups, in pieces", (count) => {
    const data = {
      groups: Array.from({ length: count }, (_, i) => group(i)),
      snippets: [{ text: "<x>" }],
      hasBaseline: false,
    };
    const pieces = [...embedJsonPieces(data)];
    expect(pieces.join("")).toBe(embedJson(data));
    // A piece holds at most a batch of groups, never the whole data.
    if (count > 8) expect(pieces.length).toBeGreaterThan(3);
  });
});
