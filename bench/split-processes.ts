import { createReadStream, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * A Valgrind text log cut into one log per process, as `valgrind --log-file=vg.%p.log` (or a
 * CTest run, a log per test) leaves them: many small logs of one program, whose call sites
 * repeat from log to log. Each process's lines (and the program output after them) go to
 * `DIR/vg.PID.log` once its ERROR SUMMARY is read, so that only the open processes' lines wait
 * in memory. Returns the directory; made once (a `done` file marks it complete).
 */
export async function splitByProcess(file: string): Promise<string> {
  const dir = file.replace(/\.log$/, "-split");
  const done = join(dir, "done");
  if (existsSync(done)) return dir;
  mkdirSync(dir, { recursive: true });
  const open = new Map<string, string[]>();
  const written = new Set<string>();
  let last: string[] | undefined;
  const flush = (pid: string, lines: string[]): void => {
    let name = `vg.${pid}`;
    for (let n = 2; written.has(name); n += 1) name = `vg.${pid}-${n}`;
    written.add(name);
    writeFileSync(join(dir, `${name}.log`), `${lines.join("\n")}\n`);
  };
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Infinity,
  })) {
    const pid = /^==(\d+)==/.exec(line)?.[1];
    if (pid === undefined) {
      last?.push(line);
      continue;
    }
    let lines = open.get(pid);
    if (lines === undefined) open.set(pid, (lines = []));
    lines.push(line);
    last = lines;
    if (line.includes("== ERROR SUMMARY:")) {
      flush(pid, lines);
      open.delete(pid);
      last = undefined;
    }
  }
  for (const [pid, lines] of open) flush(pid, lines);
  writeFileSync(done, `${written.size}\n`);
  return dir;
}
