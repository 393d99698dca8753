package dev.caravan.console;

import java.nio.file.Path;

/**
 * Development aid, not a test: screenshots of console pages of a running server at desktop and tablet width.
 * {@code java -cp ... dev.caravan.console.ConsoleScreenshots http://127.0.0.1:8080 admin PASSWORD target/shots / /customers}
 */
public final class ConsoleScreenshots {

    private ConsoleScreenshots() {
    }

    public static void main(String[] args) {
        String base = args[0];
        Path out = Path.of(args[3]);
        int[][] sizes = {{1280, 900}, {800, 1024}};
        for (int[] size : sizes) {
            try (Browser b = Browser.start(base, size[0], size[1], System.getProperty("lang", "en-US"))) {
                b.login(args[1], args[2]);
                for (int i = 4; i < args.length; i++) {
                    b.open(args[i]);
                    String name = args[i].replaceAll("[^a-zA-Z0-9]+", "_");
                    System.out.println(b.screenshot(out.resolve((name.isEmpty() ? "root" : name) + "-" + size[0] + ".png")));
                }
            }
        }
    }
}
