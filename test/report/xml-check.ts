/**
 * A small, strict XML 1.0 well-formedness check (no DTDs): one root element, balanced and
 * properly nested tags, quoted attributes without `<` or raw `&`, no duplicate attributes, only
 * the five predefined entities and character references to allowed characters, no `]]>` in
 * text, and every character allowed by the Char production. Returns the problems found; an
 * empty list means well-formed. Enough to keep the JUnit reporter honest without a dependency.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const bad = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.exec(xml);
  if (bad !== null) problems.push(`forbidden character U+${bad[0].codePointAt(0)?.toString(16)}`);
  const body = xml.replace(/^<\?xml\s[^?]*\?>/, "");
  const token = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\/?[^>]*>|[^<]+/gy;
  const stack: string[] = [];
  let roots = 0;
  let at = 0;
  for (let m = token.exec(body); m !== null && at < body.length; m = token.exec(body)) {
    at = token.lastIndex;
    const t = m[0];
    if (t.startsWith("<![CDATA[") || t.startsWith("<!--")) {
      if (stack.length === 0) problems.push("markup outside the root");
    } else if (t.startsWith("</")) {
      const name = t.slice(2, -1).trim();
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (t.startsWith("<")) {
      const parsed = parseTag(t, problems);
      if (stack.length === 0 && ++roots > 1) problems.push("more than one root element");
      if (!parsed.selfClosing) stack.push(parsed.name);
    } else {
      if (stack.length === 0 && t.trim() !== "") problems.push("text outside the root");
      checkText(t, problems);
    }
  }
  if (at < body.length) problems.push(`cannot tokenize at ${at}: ${body.slice(at, at + 20)}`);
  if (stack.length > 0) problems.push(`unclosed <${stack.join("><")}>`);
  if (roots === 0) problems.push("no root element");
  return problems;
}

const NAME = /^[A-Za-z_:][\w.:-]*$/;

function parseTag(tag: string, problems: string[]): { name: string; selfClosing: boolean } {
  const selfClosing = tag.endsWith("/>");
  const inner = tag.slice(1, selfClosing ? -2 : -1);
  const name = /^\S+/.exec(inner)?.[0] ?? "";
  if (!NAME.test(name)) problems.push(`bad element name "${name}"`);
  let rest = inner.slice(name.length);
  const seen = new Set<string>();
  const attribute = /^\s+([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/;
  for (let m = attribute.exec(rest); m !== null; m = attribute.exec(rest)) {
    const [all, key = "", , dq, sq] = m;
    const value = dq ?? sq ?? "";
    if (!NAME.test(key)) problems.push(`bad attribute name "${key}"`);
    if (seen.has(key)) problems.push(`duplicate attribute ${key}`);
    seen.add(key);
    if (value.includes("<")) problems.push(`"<" in attribute ${key}`);
    checkEntities(value, problems);
    rest = rest.slice(all.length);
  }
  if (rest.trim() !== "") problems.push(`junk in tag <${name}: ${rest.slice(0, 30)}`);
  return { name, selfClosing };
}

function checkText(text: string, problems: string[]): void {
  if (text.includes("]]>")) problems.push("]]> in text");
  if (text.includes(">"))
    problems.push("unescaped > in text (allowed, but the reporter escapes it)");
  checkEntities(text, problems);
}

function checkEntities(text: string, problems: string[]): void {
  for (const m of text.matchAll(/&([^;\s&]*);?/g)) {
    const ref = m[1] ?? "";
    if (!m[0].endsWith(";")) problems.push(`raw & near "${text.slice(m.index, m.index + 12)}"`);
    else if (/^(amp|lt|gt|quot|apos)$/.test(ref)) continue;
    else if (/^#x[0-9a-fA-F]+$|^#[0-9]+$/.test(ref)) {
      const code = ref[1] === "x" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const char = String.fromCodePoint(code);
      if (/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(char))
        problems.push(`reference to forbidden character &${ref};`);
    } else problems.push(`unknown entity &${ref};`);
  }
}
