package dev.caravan.bench;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.caravan.CaravanApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the real server for a benchmark: embedded in-memory store (or H2 with -Dbench.backend=h2), no demo. */
final class BenchServer implements AutoCloseable {

    final ConfigurableApplicationContext context;
    final int port;

    private BenchServer(ConfigurableApplicationContext context) {
        this.context = context;
        this.port = Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    static BenchServer start() throws Exception {
        Path dataDir = Files.createTempDirectory("caravan-bench");
        SpringApplication app = new SpringApplication(CaravanApplication.class);
        if (Boolean.getBoolean("bench.commands")) app.addInitializers(CommandProfile::register);
        return new BenchServer(app.run("--server.port=0", "--caravan.demo=false",
                "--caravan.data-dir=" + dataDir, "--caravan.admin-password=bench-admin-password",
                "--caravan.store.embedded-backend=" + System.getProperty("bench.backend", "memory"),
                "--logging.level.root=WARN"));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
