package dev.caravan.ingest.imports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.caravan.common.job.Job;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@RequestMapping("/api/v1/imports")
@Tag(name = "Imports", description = "Bulk CSV import of customers and orders as background jobs with progress")
public class ImportController {

    private final ImportService imports;

    public ImportController(ImportService imports) {
        this.imports = imports;
    }

    /** An import job as clients see it. */
    public record ImportStatus(String jobId, String kind, String format, String filename, String state,
                               double percent, long rowsRead, long rowsImported, long rowsRejected,
                               Map<String, Long> counters, List<String> warnings, String message,
                               Instant createdAt, Instant startedAt, Instant finishedAt) {

        static ImportStatus of(Job j) {
            return new ImportStatus(j.getId(), j.param("kind"), j.param("format"), j.param("filename"),
                    j.getState().name(), j.getPercent(), j.counter("rowsRead"), j.counter("rowsImported"),
                    j.counter("rowsRejected"), j.getCounters(), j.getWarnings(), j.getMessage(), j.getCreatedAt(),
                    j.getStartedAt(), j.getFinishedAt());
        }
    }

    @PostMapping(consumes = {"text/csv", "text/plain", "application/gzip", "application/octet-stream"})
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','INGEST')")
    @Operation(summary = "Upload a CSV file to import",
            description = "The body is the CSV (optionally gzip-compressed, with Content-Encoding: gzip or as a .gz "
                    + "file). Answers 202 with the job id at once; poll GET /imports/{jobId}. Valid rows are stored, "
                    + "invalid rows are reported by line; importing the same file again changes nothing. Formats: "
                    + "docs/IMPORT_FORMATS.md.")
    public ResponseEntity<ImportStatus> upload(
            @Parameter(description = "customers or orders") @RequestParam String kind,
            @Parameter(description = "caravan (default) or uci-online-retail") @RequestParam(required = false) String format,
            @RequestParam(required = false) String filename,
            HttpServletRequest request, Principal principal) throws IOException {
        Job job = imports.submit(kind, format, request.getInputStream(), filename, principal.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .header(HttpHeaders.LOCATION, "/api/v1/imports/" + job.getId())
                .body(ImportStatus.of(imports.get(job.getId())));
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','INGEST')")
    @Operation(summary = "Recent imports, newest first")
    public List<ImportStatus> recent(@RequestParam(defaultValue = "20") int limit) {
        return imports.recent(Math.max(1, Math.min(limit, 200))).stream().map(ImportStatus::of).toList();
    }

    @GetMapping("/{jobId}")
    @PreAuthorize("hasAnyRole('ADMIN','MARKETER','INGEST')")
    @Operation(summary = "State and progress of an import")
    public ImportStatus status(@PathVariable String jobId) {
        return ImportStatus.of(imports.get(jobId));
    }

    @GetMapping(value = "/{jobId}/errors", produces = "text/csv")
    @PreAuthorize("hasAnyRole('ADMIN','INGEST')") // rejected lines hold personal data: an export
    @Operation(summary = "Rejected lines of an import as CSV: line,reason")
    public ResponseEntity<StreamingResponseBody> errors(@PathVariable String jobId) {
        imports.get(jobId);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=import-" + jobId + "-errors.csv")
                .body(out -> imports.writeErrors(jobId,
                        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))));
    }
}
