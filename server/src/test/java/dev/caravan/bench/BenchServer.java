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

    /**
     * Waits until the server's background work (rules, segments, journeys reacting to what a run stored) is done:
     * until the process uses less than a tenth of a core for a second, at most two minutes. Keeps one run's
     * aftermath out of the next run's figures.
     */
    static void awaitIdle() throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            long cpu = os.getProcessCpuTime();
            Thread.sleep(1000);
            if (os.getProcessCpuTime() - cpu < 100_000_000L) return;
        }
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
