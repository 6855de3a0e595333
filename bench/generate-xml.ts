import { Random, stackPool, type StackFrame } from "./random.js";

const KINDS = [
  ["InvalidRead", "Invalid read of size 4"],
  ["InvalidWrite", "Invalid write of size 8"],
  ["UninitCondition", "Conditional jump or move depends on uninitialised value(s)"],
  ["InvalidFree", "Invalid free() / delete / delete[] / realloc()"],
  ["SyscallParam", "Syscall param write(buf) points to uninitialised byte(s)"],
] as const;
const LEAKS = [
  ["Leak_DefinitelyLost", "definitely lost"],
  ["Leak_IndirectlyLost", "indirectly lost"],
  ["Leak_PossiblyLost", "possibly lost"],
  ["Leak_StillReachable", "still reachable"],
] as const;

/**
 * Writes a Valgrind `--xml=yes` document (protocol 4) of at least `targetBytes`: one long run
 * with every error kind (XML mode has no error limit), aux stacks, then leak errors of every kind.
 */
export function* valgrindXml(targetBytes: number, seed = 2): Generator<string> {
  const random = new Random(seed);
  const pool = stackPool(600, random);
  yield `<?xml version="1.0"?>\n\n<valgrindoutput>\n\n<protocolversion>4</protocolversion>\n<protocoltool>memcheck</protocoltool>\n\n<preamble>\n  <line>Memcheck, a memory error detector</line>\n  <line>Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info</line>\n  <line>Command: ./bench_suite</line>\n</preamble>\n\n<pid>4242</pid>\n<ppid>4241</ppid>\n<tool>memcheck</tool>\n\n<status>\n  <state>RUNNING</state>\n  <time>00:00:00:00.047 </time>\n</status>\n\n`;
  let written = 0;
  let unique = 0;
  const errorBudget = targetBytes * 0.7;
  while (written < errorBudget) {
    const chunk = errorXml(unique++, random, pool);
    written += chunk.length;
    yield chunk;
  }
  yield `<status>\n  <state>FINISHED</state>\n  <time>00:01:00:00.000 </time>\n</status>\n\n`;
  let record = 0;
  while (written < targetBytes) {
    const chunk = leakXml(unique++, ++record, random, pool);
    written += chunk.length;
    yield chunk;
  }
  yield `<errorcounts>\n</errorcounts>\n\n<suppcounts>\n</suppcounts>\n\n</valgrindoutput>\n\n`;
}

function errorXml(unique: number, random: Random, pool: StackFrame[][]): string {
  const [kind, what] = random.pick(KINDS);
  const aux =
    random.next() < 0.5
      ? `  <auxwhat>Address 0x4a41050 is 0 bytes after a block of size 16 alloc'd</auxwhat>\n${stackXml(random.pick(pool), true)}`
      : "";
  return `<error>\n  <unique>0x${unique.toString(16)}</unique>\n  <tid>1</tid>\n  <kind>${kind}</kind>\n  <what>${what}</what>\n${stackXml(random.pick(pool), false)}${aux}</error>\n\n`;
}

function leakXml(unique: number, record: number, random: Random, pool: StackFrame[][]): string {
  const [kind, words] = random.pick(LEAKS);
  const blocks = 1 + random.int(5);
  const bytes = blocks * (8 << random.int(6));
  return `<error>\n  <unique>0x${unique.toString(16)}</unique>\n  <tid>1</tid>\n  <kind>${kind}</kind>\n  <xwhat>\n    <text>${bytes.toLocaleString("en-US")} bytes in ${blocks} blocks are ${words} in loss record ${record} of 999999</text>\n    <leakedbytes>${bytes}</leakedbytes>\n    <leakedblocks>${blocks}</leakedblocks>\n  </xwhat>\n${stackXml(random.pick(pool), true)}</error>\n\n`;
}

function stackXml(stack: StackFrame[], malloc: boolean): string {
  const top = malloc
    ? `    <frame>\n      <ip>0x48417B4</ip>\n      <obj>/usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so</obj>\n      <fn>malloc</fn>\n    </frame>\n`
    : "";
  const frames = stack.map(
    (f) =>
      `    <frame>\n      <ip>${f.ip}</ip>\n      <obj>/src/bench/bench_suite</obj>\n      <fn>${f.fn}</fn>\n      <dir>/src/bench</dir>\n      <file>${f.file}</file>\n      <line>${f.line}</line>\n    </frame>\n`,
  );
  return `  <stack>\n${top}${frames.join("")}  </stack>\n`;
}
