package dev.caravan.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** Uploads CSV to {@code POST /api/v1/imports} and waits for the job, for tests. */
public final class Imports {

    private final TestApi api;
    private final RestClient client;

    public Imports(TestApi api, RestClient client) {
        this.api = api;
        this.client = client;
    }

    public JsonNode start(String kind, String format, byte[] body, boolean gzipHeader) {
        return client.post().uri("/api/v1/imports?kind={k}&format={f}", kind, format)
                .contentType(MediaType.parseMediaType("text/csv"))
                .headers(h -> { if (gzipHeader) h.set("Content-Encoding", "gzip"); })
                .body(body).retrieve().body(JsonNode.class);
    }

    /** Uploads and waits until the job has finished; returns its final status. */
    public JsonNode run(String kind, String format, byte[] body, boolean gzipHeader, Duration timeout) {
        JsonNode started = start(kind, format, body, gzipHeader);
        if (started.get("jobId") == null) throw new AssertionError("import not started: " + started);
        return await(started.get("jobId").asString(), timeout);
    }

    public JsonNode run(String kind, String format, String csv) {
        return run(kind, format, csv.getBytes(StandardCharsets.UTF_8), false, Duration.ofSeconds(30));
    }

    public JsonNode await(String jobId, Duration timeout) {
        return api.awaitJson(client, "/api/v1/imports/" + jobId,
                j -> j.get("state").asString().equals("SUCCEEDED") || j.get("state").asString().equals("FAILED"), timeout);
    }

    public String errors(String jobId) {
        return client.get().uri("/api/v1/imports/" + jobId + "/errors").retrieve().body(String.class);
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
