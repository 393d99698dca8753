package dev.caravan.ingest.imports;

import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/** One rejected line of an import; the id {@code jobId:line} keeps a re-run from reporting it twice. */
@Document("import_errors")
record ImportError(@MongoId(FieldType.STRING) String id, @Indexed String jobId, long line, String reason) {

    static ImportError of(String jobId, long line, String reason) {
        return new ImportError(jobId + ":" + line, jobId, line, reason);
    }
}
