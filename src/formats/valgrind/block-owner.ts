import {
  parseValgrindSuppressions,
  type ValgrindSuppression,
} from "../../analysis/suppressions/valgrind.js";
import { frameMatches, kindMatches } from "../../analysis/suppressions/valgrind-match.js";
import type { FindingDraft } from "../types.js";

/** Valgrind's VG_MAX_SUPP_CALLERS: a generated block names at most this many frames. */
const MAX_BLOCK_FRAMES = 24;

/** Which of several records a `--gen-suppressions` block belongs to, and how sure that is. */
export interface BlockOwner {
  /** The record the block goes to; undefined when none fits and there is no fallback. */
  owner: FindingDraft | undefined;
  doubt?: Doubt;
}

/** Records the block fits as well as the owner but that differ from it; or none fits. */
export type Doubt = { kind: "tie"; others: FindingDraft[] } | { kind: "none" };

/**
 * Picks the record a generated block was written for, among the records still without one
 * (`candidates`, oldest first; `latest` is the record read last, today's owner). m_errormgr.c's
 * gen_suppression writes the block from the record's own stack, top frame first: `fun:NAME` for
 * a named frame (mangled), `obj:OBJECT` for an unnamed one, never `...`, at most 24 lines, after
 * the kind line its record has (`Memcheck:Addr4`, `Memcheck:Leak` + `match-leak-kinds:`). So the
 * record whose kind fits and whose stack matches the most lines from the top owns it; of equals
 * the latest does, and so does `latest` when none fits, as before candidates were compared.
 */
export function pickBlockOwner(
  block: string,
  candidates: readonly FindingDraft[],
  latest: FindingDraft | undefined,
): BlockOwner {
  const fallback = latest?.suppression === undefined ? latest : undefined;
  const supp = readBlock(block);
  if (supp === undefined) return { owner: fallback };
  let best = 0;
  let tied: FindingDraft[] = [];
  for (const draft of candidates) {
    const score = fit(supp, draft);
    if (score > best) [best, tied] = [score, [draft]];
    else if (score === best && score > 0) tied.push(draft);
  }
  const owner = tied[tied.length - 1];
  if (owner === undefined) return { owner: fallback, doubt: { kind: "none" } };
  const others = tied.filter((d) => d !== owner && !sameShape(d, owner));
  return others.length === 0 ? { owner } : { owner, doubt: { kind: "tie", others } };
}

/** The block as a suppression entry; undefined when it is not one Memcheck reads. */
function readBlock(block: string): ValgrindSuppression | undefined {
  const { suppressions, problems } = parseValgrindSuppressions(block);
  const supp = suppressions[0];
  return problems.length === 0 && supp?.memcheck === true ? supp : undefined;
}

/**
 * How well the block fits a record: 0 when its kind or its top frame does not; else 1, plus one
 * per location line matching the frame at its place, plus one more when every line matched and
 * there are as many as the record has frames (up to 24): the whole stack, not a longer one
 * sharing its top.
 */
function fit(supp: ValgrindSuppression, draft: FindingDraft): number {
  if (!kindMatches(supp, draft)) return 0;
  const { frames } = supp;
  let matched = 0;
  while (matched < frames.length) {
    const frame = draft.stack[matched];
    const loc = frames[matched];
    if (frame === undefined || loc === undefined || !frameMatches(loc, frame)) break;
    matched += 1;
  }
  if (matched === 0) return 0;
  const whole =
    matched === frames.length && frames.length === Math.min(draft.stack.length, MAX_BLOCK_FRAMES);
  return 1 + matched + (whole ? 1 : 0);
}

/**
 * Two records Valgrind would write the same block for (same kind and the same names in the
 * frames a block holds): giving the block to either is right, so a tie between them is no doubt.
 */
function sameShape(a: FindingDraft, b: FindingDraft): boolean {
  const named = Math.min(a.stack.length, MAX_BLOCK_FRAMES);
  if (
    a.type !== b.type ||
    a.kind !== b.kind ||
    named !== Math.min(b.stack.length, MAX_BLOCK_FRAMES)
  )
    return false;
  if (a.type === "error" && b.type === "error" && a.message !== b.message) return false;
  for (let i = 0; i < named; i += 1) {
    const frame = a.stack[i];
    const other = b.stack[i];
    if (frame?.function !== other?.function || frame?.object !== other?.object) return false;
  }
  return true;
}
