import { processKey } from "../analysis/process-key.js";
import type { Report } from "../model/index.js";
import { formatNumber } from "../numbers.js";

/**
 * The processes (as processKey) that leaklog knows to be forked children of a process among the
 * inputs: those with a record that it took for a copy of the parent's, a loss record of what
 * the parent held at the fork or a `-s` recap's context the parent printed (the records'
 * `inheritedFrom`, with the parent's log). Valgrind copies its error list and the heap on fork,
 * so such a child's ERROR SUMMARY can count again contexts that its parent's counts: the sum of
 * both read "18 errors from 14 contexts" for a program whose run made 9 from 7 (campaign ch Q7,
 * suite/v1-319.log). Whether it does, and how much, no log says without -s: the inherited error
 * contexts are not printed, and the child's own contexts' counts are unknown. Records past
 * --max-records are not seen, so a child may go unnamed, never a fresh process named.
 */
export function forkedChildren(report: Report): Set<string> {
  const children = new Set<string>();
  const add = (record: {
    location: { path: string };
    pid?: number | undefined;
    run?: number | undefined;
  }) => children.add(processKey({ path: record.location.path, pid: record.pid, run: record.run }));
  for (const leak of report.leaks) if (leak.inheritedFrom !== undefined) add(leak);
  for (const error of report.errors) if (error.inheritedFrom?.parentLog !== undefined) add(error);
  return children;
}

/**
 * `, summed with 1 forked child's, which can count again what it inherited from its parent`,
 * after an ERROR SUMMARY sum with `children` forked children's (see forkedChildren); empty for
 * none.
 */
export function forkedChildrenClause(children: number): string {
  if (children === 0) return "";
  const one = children === 1;
  const whose = one ? "1 forked child's" : `${formatNumber(children)} forked children's`;
  return `, summed with ${whose}, which can count again what ${one ? "it" : "they"} inherited from ${one ? "its parent" : "their parents"}`;
}
