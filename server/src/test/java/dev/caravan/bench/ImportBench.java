package dev.caravan.bench;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.ingest.imports.ImportService;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.bson.Document;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Imports the full UCI Online Retail file (541,909 rows) into a fresh server and prints rows/s and end-to-end
 * seconds. Run: {@code ./bench import [path/to/online_retail.csv.gz]} (see docs/BENCHMARKS.md).
 * <ol>
 *   <li>the file into the empty store, on a cold JVM (the JIT compilers share the two cores with the import);</li>
 *   <li>three times the same rows with every invoice and customer renamed (all new data each time), as a server
 *   that has been running a while sees an import: the JVM warms up over these runs, as JMH's warm-up
 *   iterations would;</li>
 *   <li>the original file again: a re-import that finds everything stored;</li>
 *   <li>the original file into the emptied store of the same server (the documents of every collection that was
 *   empty when it started are removed): the workload, as a server that has been running a while would
 *   import it into a new shop;</li>
 *   <li>the same into the empty store of a new server started in this JVM.</li>
 * </ol>
 * {@code -Dbench.runs} cuts the list short.
 * Each run prints the CPU time of every thread group (import, store, JIT, GC, background workers).
 */
public final class ImportBench {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/datasets/online_retail/online_retail.csv.gz");
        List<Path> files = List.of(file, renamedCopy(file, "9"), renamedCopy(file, "8"), renamedCopy(file, "7"), file);
        List<String> labels = List.of("empty store, cold JVM", "all new invoices and customers, warming JVM",
                "all new again, warm JVM", "all new again, warm JVM", "re-import of the original, nothing new");
        int runs = Math.min(files.size(), Integer.getInteger("bench.runs", files.size()));
        try {
            try (BenchServer server = BenchServer.start()) {
                MongoTemplate mongo = server.bean(MongoTemplate.class);
                Set<String> configured = new HashSet<>();
                for (String name : mongo.getCollectionNames()) {
                    if (mongo.getCollection(name).estimatedDocumentCount() > 0) configured.add(name);
                }
                for (int run = 1; run <= runs; run++) {
                    importOnce(server, files.get(run - 1), run + " (" + labels.get(run - 1) + ")");
                }
                if (runs == files.size()) {
                    // the workload on a warm JVM: the whole file into an empty store, in this server, after
                    // removing every document of the collections that were empty when it started (its data; users,
                    // rule versions, templates and journeys stay)
                    for (String name : mongo.getCollectionNames()) {
                        if (!configured.contains(name)) mongo.getCollection(name).deleteMany(new Document());
                    }
                    System.gc();
                    BenchServer.awaitIdle();
                    importOnce(server, file, (runs + 1) + " (emptied store, same server, warm JVM)");
                    System.out.printf("    stored: %,d customers, %,d orders%n", mongo.getCollection("customers")
                            .countDocuments(), mongo.getCollection("orders").countDocuments());
                }
            }
            if (runs == files.size()) {
                // the same in a new server (new context and embedded store) in this JVM, whose compiled code stays
                // except for the classes each new context generates
                System.gc();
                try (BenchServer server = BenchServer.start()) {
                    importOnce(server, file, (runs + 2) + " (empty store of a new server, warm JVM)");
                }
            }
        } finally {
            for (Path f : files) if (!f.equals(file)) Files.deleteIfExists(f);
        }
    }

    private static void importOnce(BenchServer server, Path input, String label) throws Exception {
        ImportService imports = server.bean(ImportService.class);
        JobService jobs = server.bean(JobService.class);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Instant start = Instant.now();
        long cpu0 = os.getProcessCpuTime();
        ThreadCpu threadCpu = new ThreadCpu();
        Job job;
        try (InputStream in = Files.newInputStream(input)) {
            job = imports.submit("orders", "uci-online-retail", in, input.getFileName().toString(), "bench");
        }
        Job done;
        do {
            Thread.sleep(50);
            done = jobs.find(job.getId()).orElseThrow();
        } while (!done.getState().finished());
        double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        long rows = done.counter("rowsRead");
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("run %s: %s, %,d rows in %.2f s = %,.0f rows/s (process CPU %.1f s)%n", label,
                done.getState(), rows, seconds, rows / seconds, cpu);
        threadCpu.print();
        BenchServer.awaitIdle();
    }

    /** The file with invoice numbers and customer ids moved out of the original's range (cancellations keep "C"). */
    private static Path renamedCopy(Path file, String mark) throws Exception {
        Path out = Files.createTempFile("online-retail-renamed", ".csv.gz");
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = new java.io.InputStreamReader(new GZIPInputStream(Files.newInputStream(file), 1 << 16),
                StandardCharsets.UTF_8);
             Writer writer = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(out), 1 << 16),
                     StandardCharsets.UTF_8);
             var parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT.builder()
                    .setHeader(header.toArray(String[]::new)).get());
            for (CSVRecord r : parser) {
                List<String> values = new ArrayList<>(r.toList());
                int invoice = header.indexOf("InvoiceNo");
                int customer = header.indexOf("CustomerID");
                values.set(invoice, values.get(invoice) + mark);
                String id = values.get(customer);
                if (!id.isBlank()) values.set(customer, mark + id);
                printer.printRecord(values);
            }
            printer.flush();
        }
        return out;
    }
}
