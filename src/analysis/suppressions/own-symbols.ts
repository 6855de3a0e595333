import type { Finding, Frame } from "../../model/index.js";
import { parseValgrindSuppressions, type SuppressionFrame } from "./valgrind.js";

/** A frame as Valgrind's matcher sees it: its symbol, or only its object when it had none. */
export interface OwnSymbol {
  type: "fun" | "obj";
  pattern: string;
}

/** Per finding: its own block's symbols, or null when it has none that fit its stack. */
const byFinding = new WeakMap<Finding, readonly OwnSymbol[] | null>();

/**
 * The symbols of a finding's frames as Valgrind itself named them, from the finding's own
 * `--gen-suppressions` block (`fun:_ZN5alpha4makeIiEEPT_i`, one location line per frame), or
 * undefined. The log prints demangled names, whose mangling leaklog can only approximate (a
 * template's arguments, a constructor's C1 or C2 are not in the text): matched by that, an
 * entry of Valgrind's for `make<double>` hid `make<int>`'s leak, which Valgrind reported
 * (campaign bh). The block is used only when it has a line for every frame and each line fits
 * its frame (`fits`, the approximate match), so a block a text log gave the wrong record is not.
 */
export function ownSymbols(
  finding: Finding,
  fits: (line: SuppressionFrame, frame: Frame) => boolean,
): readonly OwnSymbol[] | undefined {
  const known = byFinding.get(finding);
  if (known !== undefined) return known ?? undefined;
  // A block two records fit alike went to the latest (`suppression-owner`): its template
  // arguments may be the other's, which the fit cannot tell (campaign v13).
  const doubtful = finding.details?.["suppressionOwnerDoubtful"] === true;
  const symbols = doubtful ? undefined : fromBlock(finding.suppression, finding.stack, fits);
  byFinding.set(finding, symbols ?? null);
  return symbols;
}

function fromBlock(
  block: string | undefined,
  stack: readonly Frame[],
  fits: (line: SuppressionFrame, frame: Frame) => boolean,
): readonly OwnSymbol[] | undefined {
  if (block === undefined) return undefined;
  // The block is a suppression entry: read as a file of one.
  const lines = parseValgrindSuppressions(block).suppressions[0]?.frames ?? [];
  const symbols = lines.filter((l): l is OwnSymbol => l.type === "fun" || l.type === "obj");
  if (symbols.length !== lines.length) return undefined;
  if (symbols.length !== stack.length || symbols.length === 0) return undefined;
  return symbols.every((symbol, i) => fits(symbol, stack[i] as Frame)) ? symbols : undefined;
}
