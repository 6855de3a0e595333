import { parseCount } from "../../../grammars/valgrind-xml/text-patterns.js";
import { SharedStacks } from "../../engine/shared-stacks.js";
import type { Frame, Stack } from "../../model/index.js";
import type { XNode } from "./tree.js";
import { boundedName } from "../bounded-names.js";

/** The first child element called `name`. */
export function child(node: XNode, name: string): XNode | undefined {
  for (const c of node.children) if (c.name === name) return c;
  return undefined;
}

/**
 * The trimmed text of the first child called `name`; undefined when absent, empty or cut: a
 * leaf the log ends in holds what the cut left of its text (`<leakedbytes>12` of 12345, an
 * `<auxwhat>` ending in `</auxwhat`, campaign v22 F6), and a wrong value is worse than none.
 */
export function childText(node: XNode, name: string): string | undefined {
  const leaf = child(node, name);
  if (leaf === undefined || leaf.cut === true) return undefined;
  const text = leaf.text.trim();
  return text === "" ? undefined : text;
}

/** A leaf's trimmed text, or undefined when the log ends in it (see childText). */
export function wholeText(leaf: XNode): string | undefined {
  return leaf.cut === true ? undefined : leaf.text.trim();
}

/** A child's count (`4,128` allowed); undefined when absent or not a number. */
export function childCount(node: XNode, name: string): number | undefined {
  return parseCount(childText(node, name));
}

/** All text under a node, blank runs collapsed, cut to `max` characters (for diagnostics). */
export function flatText(node: XNode, max = 200): string {
  const parts: string[] = [];
  const walk = (n: XNode): void => {
    if (n.text.trim() !== "") parts.push(n.text.trim());
    for (const c of n.children) walk(c);
  };
  walk(node);
  const text = parts.join(" ").replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/**
 * A `<frame>`: `<ip>` always, `<obj>`, `<fn>`, `<dir>`, `<file>`, `<line>` when known. A
 * missing or `???` function leaves `function` unset, as the text format's `???` does. Each
 * field is what childText gives, read in one walk over the children: one childText call per
 * field walked them six times, for every frame of every record.
 */
export function toFrame(node: XNode): Frame {
  if (node.known !== undefined) return node.known.frame;
  let ip: string | undefined, fn: string | undefined, obj: string | undefined;
  let file: string | undefined, dir: string | undefined, lineText: string | undefined;
  let seen = 0; // a bit per field: only the first child of a name counts, as in childText
  for (const c of node.children) {
    const bit = FRAME_FIELDS.indexOf(c.name);
    // A field the log ends in is what the cut left of it: `<obj>/` was an object named `/`.
    if (bit < 0 || (seen & (1 << bit)) !== 0 || c.cut === true) continue;
    seen |= 1 << bit;
    const trimmed = c.text.trim();
    if (trimmed === "") continue;
    const text = bit >= 1 && bit <= 4 ? boundedName(trimmed) : trimmed;
    if (bit === 0) ip = text;
    else if (bit === 1) fn = text;
    else if (bit === 2) obj = text;
    else if (bit === 3) file = text;
    else if (bit === 4) dir = text;
    else lineText = text;
  }
  const line = parseCount(lineText);
  if (ip && fn && fn !== "???" && obj && file && dir && line !== undefined) {
    // The usual full frame as one literal: an object with its six fields in place is half the
    // size of one grown field by field, and findings are held for <errorcounts> (pending.ts).
    return { ip, function: fn, object: obj, file, dir, line };
  }
  return partialFrame(ip, fn, obj, file, dir, line);
}

/** A frame of the fields toFrame found, some missing. */
function partialFrame(
  ip: string | undefined,
  fn: string | undefined,
  obj: string | undefined,
  file: string | undefined,
  dir: string | undefined,
  line: number | undefined,
): Frame {
  const frame: Frame = {};
  if (ip !== undefined) frame.ip = ip;
  if (fn !== undefined && fn !== "???") frame.function = fn;
  if (obj !== undefined) frame.object = obj;
  if (file !== undefined) frame.file = file;
  if (dir !== undefined) frame.dir = dir;
  if (line !== undefined) frame.line = line;
  return frame;
}

/** The children toFrame reads; the index of each is its bit in toFrame. */
const FRAME_FIELDS: readonly string[] = ["ip", "fn", "obj", "file", "dir", "line"];

/** A `<stack>`, innermost frame first. */
export function toStack(node: XNode): Stack {
  return node.children.filter(isFrame).map(toFrame);
}

/** The same, shared with every record of the stack when its frames were read as bytes. */
export function toSharedStack(node: XNode, stacks: XmlStacks): Stack {
  return stacks.stackOf(node.children.filter(isFrame));
}

/**
 * A `<frame>` with something in it: Valgrind prints at least its `<ip>`, and one that a cut
 * log ends in right after its open tag was an empty frame, `{}`, in the record's stack
 * (campaign bu Q4; the text log cut there keeps the frames before it).
 */
function isFrame(node: XNode): boolean {
  return node.name === "frame" && node.children.length > 0;
}

/** The shared stacks of one XML parse (see SharedStacks). */
export type XmlStacks = SharedStacks<XNode>;

/** A new table of shared stacks for one XML parse. */
export function xmlStacks(): XmlStacks {
  return new SharedStacks<XNode>((node) => node.known, toFrame);
}
