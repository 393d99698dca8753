package dev.caravan.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.ingest.imports.ImportService;

/**
 * Imports the full UCI Online Retail file (541,909 rows) into a fresh server and prints rows/s and end-to-end
 * seconds. Run: {@code ./bench import [path/to/online_retail.csv.gz]} (see docs/BENCHMARKS.md).
 */
public final class ImportBench {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/datasets/online_retail/online_retail.csv.gz");
        int runs = Integer.getInteger("bench.runs", 3);
        try (BenchServer server = BenchServer.start()) {
            ImportService imports = server.bean(ImportService.class);
            JobService jobs = server.bean(JobService.class);
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int run = 1; run <= runs; run++) {
                Instant start = Instant.now();
                long cpu0 = os.getProcessCpuTime();
                Job job;
                try (InputStream in = Files.newInputStream(file)) {
                    job = imports.submit("orders", "uci-online-retail", in, file.getFileName().toString(), "bench");
                }
                Job done;
                do {
                    Thread.sleep(50);
                    done = jobs.find(job.getId()).orElseThrow();
                } while (!done.getState().finished());
                double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
                long rows = done.counter("rowsRead");
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                System.out.printf("run %d (%s store): %s, %,d rows in %.2f s = %,.0f rows/s (process CPU %.1f s)%n", run,
                        run == 1 ? "empty" : "full, re-import", done.getState(), rows, seconds, rows / seconds, cpu);
            }
        }
    }
}
