package dev.caravan.ingest.imports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.caravan.common.CaravanProperties;
import dev.caravan.common.job.Job;
import dev.caravan.common.job.JobService;
import dev.caravan.common.web.BadRequestException;
import dev.caravan.common.web.NotFoundException;
import dev.caravan.customer.ContactNormalizer;
import dev.caravan.ingest.IngestPipeline;
import dev.caravan.ingest.IngestProperties;
import dev.caravan.money.ExchangeRateService;
import jakarta.annotation.PreDestroy;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.io.input.BoundedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Service;

/**
 * Accepts uploads, keeps them under {@code <data-dir>/imports} and runs them one at a time in the background.
 * Jobs left unfinished by a crash or shutdown are run again on start; their writes are idempotent.
 */
@Service
public class ImportService {

    static final String JOB_KIND = "import";
    private static final Logger log = LoggerFactory.getLogger(ImportService.class);

    private final JobService jobs;
    private final IngestPipeline pipeline;
    private final ContactNormalizer normalizer;
    private final ExchangeRateService rates;
    private final MongoTemplate mongo;
    private final IngestProperties props;
    private final Path uploads;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "import-runner");
        t.setDaemon(true);
        return t;
    });

    public ImportService(JobService jobs, IngestPipeline pipeline, ContactNormalizer normalizer, ExchangeRateService rates, MongoTemplate mongo,
                         IngestProperties props, CaravanProperties caravan) {
        this.jobs = jobs;
        this.pipeline = pipeline;
        this.normalizer = normalizer;
        this.rates = rates;
        this.mongo = mongo;
        this.props = props;
        this.uploads = caravan.resolve("imports");
    }

    public Job submit(String kind, String format, InputStream body, String filename, String actor) {
        ImportRequest request = ImportRequest.of(kind, format);
        Path tmp = store(body);
        Job job = jobs.create(JOB_KIND, Map.of("kind", request.kind(), "format", request.format(),
                "filename", filename == null ? "" : filename, "bytes", String.valueOf(size(tmp))), actor);
        try {
            Files.move(tmp, fileOf(job), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            jobs.failed(job.getId(), "the upload could not be stored: " + e.getMessage());
            throw new UncheckedIOException(e);
        }
        executor.submit(() -> run(job.getId()));
        return job;
    }

    /** Runs jobs that a crash or shutdown left queued or running, from the start of their file. */
    @EventListener(ApplicationReadyEvent.class)
    @Order(0) // before anything submits new jobs, e.g. the demo loader
    public void resumeUnfinished() {
        for (Job job : jobs.unfinished(JOB_KIND)) {
            log.info("Resuming import {} left unfinished", job.getId());
            executor.submit(() -> run(job.getId()));
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private void run(String jobId) {
        Job job = jobs.find(jobId).orElseThrow();
        Path file = fileOf(job);
        if (!Files.isRegularFile(file)) {
            jobs.failed(jobId, "the uploaded file is gone from " + file);
            return;
        }
        ImportRequest request = ImportRequest.of(job.param("kind"), job.param("format"));
        String source = "import:" + jobId;
        ImportFormat format = switch (request.format()) {
            case "uci-online-retail" -> new UciOnlineRetailFormat(source);
            default -> request.kind().equals("customers") ? new CaravanCustomersFormat(normalizer, source)
                    : new CaravanOrdersFormat(normalizer, rates, source);
        };
        new ImportRunner(job, file, format, pipeline, jobs, mongo, props.importBatchSize()).run();
    }

    public Job get(String jobId) {
        return jobs.find(jobId, JOB_KIND).orElseThrow(() -> new NotFoundException("import " + jobId + " not found"));
    }

    public List<Job> recent(int limit) {
        return mongo.find(Query.query(Criteria.where("kind").is(JOB_KIND))
                .with(Sort.by(Sort.Direction.DESC, "createdAt")).limit(limit), Job.class);
    }

    /** Writes the job's rejected lines as CSV {@code line,reason}, in line order, and closes the writer. */
    public void writeErrors(String jobId, Writer out) throws IOException {
        get(jobId);
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("line", "reason").get())) {
            Query q = Query.query(Criteria.where("jobId").is(jobId)).with(Sort.by("line"));
            for (ImportError e : mongo.find(q, ImportError.class)) {
                csv.printRecord(e.line(), e.reason());
            }
        }
    }

    private Path store(InputStream body) {
        long max = props.maxImportSize().toBytes();
        try {
            Files.createDirectories(uploads);
            Path tmp = Files.createTempFile(uploads, "upload", ".part");
            try (InputStream limited = BoundedInputStream.builder().setInputStream(body).setMaxCount(max + 1).get()) {
                long written = Files.copy(limited, tmp, StandardCopyOption.REPLACE_EXISTING);
                if (written > max) {
                    Files.deleteIfExists(tmp);
                    throw new dev.caravan.common.web.PayloadTooLargeException("the upload is larger than caravan.ingest.max-import-size ("
                            + props.maxImportSize() + ")");
                }
                if (written == 0) {
                    Files.deleteIfExists(tmp);
                    throw new BadRequestException("the upload is empty");
                }
            }
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path fileOf(Job job) {
        return uploads.resolve(job.getId() + ".upload");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
