package dev.caravan.messaging;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.caravan.common.CaravanProperties;
import org.springframework.stereotype.Component;

/**
 * This server's name on outbox leases. Stable across restarts (host name plus a hash of the data directory), so a
 * restarted server takes back at once the messages it held when it stopped.
 */
@Component
class OutboxNode {

    private final String id;

    OutboxNode(MessagingProperties props, CaravanProperties caravan) {
        if (props.nodeId() != null && !props.nodeId().isBlank()) {
            this.id = props.nodeId();
        } else {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "localhost";
            }
            this.id = host + "-" + hash(caravan.resolve("").toString());
        }
    }

    String id() {
        return id;
    }

    private static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
