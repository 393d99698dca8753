package dev.caravan.console;

import java.io.IOException;

import dev.caravan.ingest.imports.ImportController;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * CSV imports: the upload is the file itself as the request body (streamed to disk by the import service, never
 * held in memory), the progress bar polls the job with htmx until it has finished, and the error report is the
 * API's CSV.
 */
@Controller
@Hidden
@RequestMapping("/imports")
class ImportsController {

    private final ImportController imports;

    ImportsController(ImportController imports) {
        this.imports = imports;
    }

    @GetMapping
    String page(Model model) {
        model.addAttribute("recent", imports.recent(20));
        return "console/imports";
    }

    @PostMapping("/upload")
    String upload(@RequestParam String kind, @RequestParam(required = false) String format,
                  @RequestParam(required = false) String filename, HttpServletRequest request, Model model)
            throws IOException {
        ImportController.ImportStatus status = imports.upload(kind, format == null || format.isBlank() ? null : format,
                filename, request, Auth.current()).getBody();
        model.addAttribute("job", status);
        return "console/imports :: progress";
    }

    @GetMapping("/{jobId}/progress")
    String progress(@PathVariable String jobId, Model model) {
        model.addAttribute("job", imports.status(jobId));
        return "console/imports :: progress";
    }

    @GetMapping("/{jobId}/errors")
    ResponseEntity<StreamingResponseBody> errors(@PathVariable String jobId) {
        return imports.errors(jobId);
    }
}
