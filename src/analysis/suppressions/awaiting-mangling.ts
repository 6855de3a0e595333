import type { Finding } from "../../model/index.js";
import type { Suppressor } from "./suppressor.js";

/** A held finding, and its index in the report's list (undefined: --max-records left it out). */
interface Held {
  finding: Finding;
  listed: number | undefined;
}

/**
 * A bound on the findings held at once, for memory: past it a finding is applied at once with
 * what its process has shown so far, which at worst leaves an entry unapplied and said so.
 */
const MAX_AWAITING = 10_000;

/**
 * Findings whose suppression waits for a later record of their process to show a Rust crate's
 * mangling (see Suppressor.awaits), held until their input ends: loss records come sorted by
 * size, so `shapes::main::{{closure}}`, which tells that `shapes` is legacy, came after the
 * record of `shapes::forget_vec` that `fun:_ZN6shapes10forget_vec*` is for (campaign br F1). Only
 * findings an entry would suppress under one mangling are held, so they are few.
 */
export class AwaitingMangling {
  private held: Held[] = [];

  constructor(private readonly suppressor: Suppressor) {}

  /**
   * Holds the finding if its suppression waits (see Suppressor.awaits), with the index `list`
   * gives it in the report, so that it keeps its place; false when it does not wait.
   */
  hold(finding: Finding, list: () => number | undefined): boolean {
    if (this.held.length >= MAX_AWAITING || !this.suppressor.awaits(finding)) return false;
    this.held.push({ finding, listed: list() });
    return true;
  }

  /**
   * Applies the suppressions to the held findings of the input at `path` (of every input without
   * one), in their order, now that every record that could tell is in, and gives each to
   * `settled` with its index.
   */
  settle(settled: (finding: Finding, listed: number | undefined) => void, path?: string): void {
    const released: Held[] = [];
    const kept: Held[] = [];
    for (const held of this.held) {
      (path === undefined || held.finding.location.path === path ? released : kept).push(held);
    }
    this.held = kept;
    for (const { finding, listed } of released) settled(this.suppressor.apply(finding), listed);
  }
}
