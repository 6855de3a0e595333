/**
 * One Valgrind process's text log: its banner and command, then a definitely lost block of 10
 * bytes allocated in each of `fns`, as loss records 1 to N in that order.
 */
export function leakLog(pid: number, fns: readonly string[], command = "./t"): string {
  const lines = [`==${pid}== Memcheck, a memory error detector`, `==${pid}== Command: ${command}`];
  fns.forEach((fn, i) => {
    lines.push(
      `==${pid}== `,
      `==${pid}== 10 bytes in 1 blocks are definitely lost in loss record ${i + 1} of ${fns.length}`,
      `==${pid}==    at 0x48417B4: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)`,
      `==${pid}==    by 0x10915A: ${fn} (leaky.c:3)`,
    );
  });
  return [...lines, `==${pid}== `].join("\n");
}
