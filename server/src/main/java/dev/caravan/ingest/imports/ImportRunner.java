package dev.caravan.ingest.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

import com.mongodb.MongoBulkWriteException;
import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.input.BOMInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.BulkOperationException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Reads one uploaded CSV as a stream, hands valid records to the ingest pipeline in batches and records every rejected
 * line. Parsing and writing overlap: while one batch is written (on the import's writer thread, batches strictly in
 * order), the next one is parsed — at most two batches are held (constant memory). Progress is the share of the
 * upload's bytes read. All writes are idempotent, so running the same job again (after a crash) or importing the same
 * file twice stores nothing new.
 */
class ImportRunner {

    private static final Logger log = LoggerFactory.getLogger(ImportRunner.class);
    private static final int PROGRESS_EVERY_ROWS = 20_000;

    private final Job job;
    private final Path file;
    private final ImportFormat format;
    private final IngestPipeline pipeline;
    private final JobService jobs;
    private final MongoTemplate mongo;
    private final int batchSize;

    private final List<ImportedRecord> batch = new ArrayList<>();
    private final List<ImportError> errors = new ArrayList<>();
    private final Set<String> touchedCustomers = new HashSet<>();
    /** Writes batches in order, one at a time, while the reading thread parses the next one. */
    private final ExecutorService writer;
    private Future<?> writing;
    private volatile long rowsRead;
    private final AtomicLong rowsImported = new AtomicLong();
    private final AtomicLong rowsRejected = new AtomicLong();
    private final AtomicLong records = new AtomicLong();

    ImportRunner(Job job, Path file, ImportFormat format, IngestPipeline pipeline, JobService jobs,
                 MongoTemplate mongo, int batchSize) {
        this.job = job;
        this.file = file;
        this.format = format;
        this.pipeline = pipeline;
        this.jobs = jobs;
        this.mongo = mongo;
        this.batchSize = batchSize;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "import-writer");
            t.setDaemon(true);
            return t;
        });
    }

    void run() {
        jobs.started(job.getId());
        long size = sizeOf(file);
        try (InputStream raw = Files.newInputStream(file);
             BoundedInputStream counted = BoundedInputStream.builder().setInputStream(raw).get();
             Reader reader = reader(new BufferedInputStream(counted, 1 << 16));
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .setIgnoreEmptyLines(true).get().parse(reader)) {
            List<String> header = parser.getHeaderNames();
            List<String> warnings = format.start(header);
            if (!warnings.isEmpty()) jobs.warnings(job.getId(), warnings);
            RowSink sink = new RowSink() {
                @Override
                public void accept(ImportedRecord record) {
                    batch.add(record);
                }

                @Override
                public void reject(long line, String reason) {
                    ImportRunner.this.reject(line, reason);
                }
            };
            long previousLine = 1;
            for (CSVRecord row : parser) {
                rowsRead++;
                long line = previousLine + 1;
                previousLine = parser.getCurrentLineNumber();
                if (row.size() != header.size()) {
                    reject(line, "expected " + header.size() + " columns, found " + row.size());
                } else {
                    try {
                        format.row(row, line, sink);
                    } catch (RowException e) {
                        reject(line, e.getMessage());
                    }
                }
                if (batch.size() >= batchSize) flush();
                if (rowsRead % PROGRESS_EVERY_ROWS == 0) {
                    jobs.progress(job.getId(), size == 0 ? 0 : 100.0 * counted.getCount() / size, counters());
                }
            }
            format.finish(sink);
            flush();
            awaitWriting();
            writeErrors();
            pipeline.completeBulk(touchedCustomers);
            jobs.succeeded(job.getId(), counters(), rowsRejected.get() == 0 ? "imported " + rowsImported + " rows"
                    : "imported " + rowsImported + " rows; " + rowsRejected + " rejected (see the error report)");
        } catch (IllegalArgumentException e) {
            jobs.failed(job.getId(), e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            flushQuietly();
            completeQuietly();
            jobs.progress(job.getId(), 0, counters());
            jobs.failed(job.getId(), "the file could not be read after " + rowsRead + " rows: " + rootMessage(e)
                    + ". Rows before that are stored; fix the file and import it again.");
        } catch (RuntimeException e) {
            log.error("Import {} failed", job.getId(), e);
            awaitQuietly();
            completeQuietly();
            jobs.failed(job.getId(), "the import failed after " + rowsRead + " rows: " + rootMessage(e));
        } finally {
            writer.shutdownNow();
        }
    }

    private Reader reader(InputStream buffered) throws IOException {
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        InputStream data = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        return new InputStreamReader(BOMInputStream.builder().setInputStream(data).get(), StandardCharsets.UTF_8);
    }

    private void reject(long line, String reason) {
        rowsRejected.incrementAndGet();
        synchronized (errors) {
            errors.add(ImportError.of(job.getId(), line, reason));
        }
    }

    /** Hands the parsed batch to the writer once the previous one is written (an error there surfaces here). */
    private void flush() {
        List<ImportedRecord> parsed = new ArrayList<>(batch);
        batch.clear();
        awaitWriting();
        writing = writer.submit(() -> write(parsed));
    }

    private void awaitWriting() {
        if (writing == null) return;
        try {
            writing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the import was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            writing = null;
        }
    }

    private void awaitQuietly() {
        try {
            awaitWriting();
        } catch (RuntimeException e) {
            log.warn("The last batch of import {} was not stored", job.getId(), e);
        }
    }

    /** On the writer thread. */
    private void write(List<ImportedRecord> parsed) {
        if (!parsed.isEmpty()) {
            List<IngestRecord> ingest = new ArrayList<>(parsed.size());
            for (ImportedRecord r : parsed) {
                ingest.add(new IngestRecord(null, "import", null, r.profile(), r.order(), r.ret(), null, null, null));
            }
            IngestPipeline.Outcome outcome = pipeline.writeBulk(ingest, job.getCreatedBy(), "import " + job.getId());
            for (int i = 0; i < parsed.size(); i++) {
                ImportedRecord r = parsed.get(i);
                IngestPipeline.ItemOutcome o = outcome.items().get(i);
                if (o.status() == IngestPipeline.Status.REJECTED) {
                    r.lines().forEach(line -> reject(line, o.error()));
                } else {
                    rowsImported.addAndGet(r.lines().size());
                    records.incrementAndGet();
                    if (o.customerId() != null) touchedCustomers.add(o.customerId());
                }
            }
            touchedCustomers.addAll(outcome.changedCustomers());
        }
        writeErrors();
    }

    private void flushQuietly() {
        try {
            flush();
            awaitWriting();
        } catch (RuntimeException e) {
            log.warn("Could not store the last batch of import {}", job.getId(), e);
        }
    }

    /** Metrics and histories of the customers written so far, also when the import stops half-way. */
    private void completeQuietly() {
        try {
            pipeline.completeBulk(touchedCustomers);
        } catch (RuntimeException e) {
            log.warn("Could not update customer metrics after import {}", job.getId(), e);
        }
    }

    private void writeErrors() {
        List<ImportError> drained;
        synchronized (errors) {
            if (errors.isEmpty()) return;
            drained = new ArrayList<>(errors);
            errors.clear();
        }
        BulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ImportError.class);
        bulk.insert(drained);
        try {
            bulk.execute();
        } catch (BulkOperationException | MongoBulkWriteException e) {
            // already reported by an earlier run of the same job
        }
    }

    private Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("rowsRead", rowsRead);
        c.put("rowsImported", rowsImported.get());
        c.put("rowsRejected", rowsRejected.get());
        c.put("records", records.get());
        c.putAll(format.counters());
        return c;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
