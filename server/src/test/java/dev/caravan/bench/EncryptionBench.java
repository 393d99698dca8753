package dev.caravan.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.caravan.common.CaravanProperties;
import dev.caravan.security.BlindIndex;
import dev.caravan.security.SecretBox;
import dev.caravan.security.SecretBoxProperties;

/**
 * CPU cost of protecting one typical customer profile write: AES-256-GCM of its seven encrypted fields (display,
 * first and last name, e-mails, phones, one address, birthday) and the blind indexes of its e-mail, phone and three
 * name words; then opening the seven fields again (a read). Run: {@code ./bench encryption} (-Dbench.customers=N).
 */
public final class EncryptionBench {

    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("bench.customers", 200_000);
        Path dir = Files.createTempDirectory("caravan-encryption-bench");
        CaravanProperties caravan = new CaravanProperties(dir, false, null);
        SecretBox box = new SecretBox(new SecretBoxProperties(null, null), caravan);
        BlindIndex index = new BlindIndex(new SecretBoxProperties(null, null), caravan);
        byte[][] fields = {
                "SAnn Lee".getBytes(StandardCharsets.UTF_8), "SAnn".getBytes(StandardCharsets.UTF_8),
                "SLee".getBytes(StandardCharsets.UTF_8),
                "L....ann.lee.12345@example.com".getBytes(StandardCharsets.UTF_8),
                "L....+4915112345678".getBytes(StandardCharsets.UTF_8),
                new byte[120], // an address as BSON
                "D1990-04-21".getBytes(StandardCharsets.US_ASCII)};
        byte[][] ad = new byte[fields.length][];
        for (int i = 0; i < ad.length; i++) ad[i] = ("caravan-field:f" + i).getBytes(StandardCharsets.UTF_8);
        for (int round = 1; round <= 2; round++) { // round 1 warms up the JIT
            long t0 = System.nanoTime();
            long sink = 0;
            byte[][] sealed = new byte[fields.length][];
            for (int c = 0; c < n; c++) {
                for (int f = 0; f < fields.length; f++) sealed[f] = box.encrypt(fields[f], ad[f]);
                sink += index.hash("email:ann.lee." + c + "@example.com").length();
                sink += index.hash("phone:+49151" + c).length();
                sink += index.hash("name:ann").length() + index.hash("name:lee").length() + index.hash("name:x" + c).length();
            }
            long t1 = System.nanoTime();
            for (int c = 0; c < n; c++) {
                for (int f = 0; f < fields.length; f++) sink += box.decrypt(sealed[f], ad[f], "f").length;
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: %,d customers: write %.1f µs/customer (7 AES-GCM + 5 HMAC), read %.1f µs/customer"
                    + " (7 AES-GCM opens) [%d]%n", round, n, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, sink % 10);
        }
    }
}
