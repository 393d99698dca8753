package dev.caravan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time per thread group (thread names with their numbers removed) between two snapshots, read from Linux's
 * {@code /proc/self/task}: every thread of the JVM, including the garbage collector's and the JIT compilers', which
 * a Java profiler does not see. Threads that end between the snapshots are missed. Prints nothing elsewhere.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICK_NANOS = 1e9 / 100; // USER_HZ is 100 on Linux

    private final Map<String, Long> start = snapshot();

    /** Prints the groups that used at least 1 % of the total, largest first. */
    void print() {
        if (!Files.isDirectory(TASKS)) return;
        Map<String, Long> byGroup = new HashMap<>();
        snapshot().forEach((tid, ticks) -> {
            String group = tid.substring(tid.indexOf(' ') + 1).replaceAll("\\d+", "#");
            byGroup.merge(group, ticks - start.getOrDefault(tid, 0L), Long::sum);
        });
        long total = byGroup.values().stream().mapToLong(Long::longValue).sum();
        Map<Long, String> sorted = new TreeMap<>((a, b) -> Long.compare(b, a));
        byGroup.forEach((k, v) -> sorted.merge(v, k, (x, y) -> x + ", " + y));
        System.out.printf("CPU by thread group (%.1f s):%n", total * TICK_NANOS / 1e9);
        sorted.forEach((ticks, group) -> {
            if (ticks * 100 >= total && ticks > 0) {
                System.out.printf("  %6.1f s %5.1f %%  %s%n", ticks * TICK_NANOS / 1e9, 100.0 * ticks / total, group);
            }
        });
    }

    /** "tid name" → user + system ticks. */
    private static Map<String, Long> snapshot() {
        Map<String, Long> out = new HashMap<>();
        if (!Files.isDirectory(TASKS)) return out;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (name) state ...": the name may hold spaces and parentheses, the fields follow the last ')'
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                    out.put(task.getFileName() + " " + name, ticks);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
