import type { CstNode, IToken, TokenType } from "chevrotain";
import { SINGLE_LINE_TOKENS } from "./block-parser.js";
import * as T from "./line-kinds.js";

const SINGLE_LINE = new Set<TokenType>(SINGLE_LINE_TOKENS);

/**
 * The CST that ValgrindBlockParser builds for a block made only of the common items (loss
 * records and known errors with their stacks and aux entries, and single lines), built here
 * straight from the token types; undefined for any other block, which then goes to the parser.
 * Nearly every block of a large log has one of these shapes, and chevrotain's rule machinery
 * for them was 0.5-0.8 s of every 300 MB parsed. The grammar stays the definition: a test
 * checks that this gives the parser's tree for every token sequence it accepts.
 */
export function commonShapeCst(tokens: readonly IToken[]): CstNode | undefined {
  const items: CstNode[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i] as IToken;
    const type = first.tokenType;
    let item: CstNode;
    if (type === T.LossRecord || type === T.ErrorHeadline) {
      const children: CstNode["children"] = {};
      children[type.name] = [first];
      i = takeFrames(tokens, i + 1, children);
      if (type === T.ErrorHeadline) i = takeAuxEntries(tokens, i, children);
      else i = takeBlockList(tokens, i, children);
      item = node(type === T.LossRecord ? "lossRecordItem" : "errorItem", children);
    } else if (SINGLE_LINE.has(type)) {
      const children: CstNode["children"] = {};
      children[type.name] = [first];
      item = node("singleLine", children);
      i += 1;
    } else return undefined;
    const wrapper: CstNode["children"] = {};
    wrapper[item.name] = [item];
    items.push(node("item", wrapper));
  }
  const block: CstNode["children"] = {};
  if (items.length > 0) block["item"] = items;
  return node("block", block);
}

/** Frame lines from `i` on go into `children.FrameLine`; returns the index after them. */
function takeFrames(tokens: readonly IToken[], i: number, children: CstNode["children"]): number {
  let end = i;
  while (end < tokens.length && (tokens[end] as IToken).tokenType === T.FrameLine) end += 1;
  if (end > i) children["FrameLine"] = tokens.slice(i, end);
  return end;
}

/** `block_list`'s lines from `i` on go into `children.BlockListLine`; returns the index after. */
function takeBlockList(
  tokens: readonly IToken[],
  i: number,
  children: CstNode["children"],
): number {
  let end = i;
  while (end < tokens.length && (tokens[end] as IToken).tokenType === T.BlockListLine) end += 1;
  if (end > i) children["BlockListLine"] = tokens.slice(i, end);
  return end;
}

/** Aux lines, each with the frame lines after it, as `children.auxEntry`. */
function takeAuxEntries(
  tokens: readonly IToken[],
  i: number,
  children: CstNode["children"],
): number {
  const entries: CstNode[] = [];
  while (i < tokens.length && (tokens[i] as IToken).tokenType === T.AuxLine) {
    const entry: CstNode["children"] = {};
    entry["AuxLine"] = [tokens[i] as IToken];
    i = takeFrames(tokens, i + 1, entry);
    entries.push(node("auxEntry", entry));
  }
  if (entries.length > 0) children["auxEntry"] = entries;
  return i;
}

function node(name: string, children: CstNode["children"]): CstNode {
  return { name, children };
}
