package dev.caravan.integrations.channel;

import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-mail's sender with one reusable SMTP connection per consumer thread, instead of connect, EHLO, (STARTTLS,
 * AUTH) and QUIT for every message: each message is one SMTP transaction on an open connection. A connection is
 * renewed after {@code maxMessages} messages or {@code maxIdleMillis} without use, and dropped after any error (the
 * caller retries the message through its outbox).
 */
public class PooledJavaMailSender extends DefaultJavaMailSender {

    private static final Logger log = LoggerFactory.getLogger(PooledJavaMailSender.class);

    private static final class Connection {
        final Transport transport;
        int sent;
        long lastUsed = System.currentTimeMillis();

        Connection(Transport transport) {
            this.transport = transport;
        }
    }

    private final int maxMessages;
    private final long maxIdleMillis;
    private final Map<Thread, Connection> connections = new ConcurrentHashMap<>();

    public PooledJavaMailSender(int maxMessages, long maxIdleMillis) {
        this.maxMessages = maxMessages;
        this.maxIdleMillis = maxIdleMillis;
    }

    @Override
    public void send(MimeMessage mimeMessage) throws MessagingException {
        Thread me = Thread.currentThread();
        Connection c = connections.get(me);
        long now = System.currentTimeMillis();
        // isConnected() costs a NOOP round trip: ask only when the connection has rested a while
        if (c != null && (c.sent >= maxMessages || now - c.lastUsed > maxIdleMillis
                || (now - c.lastUsed > 2000 && !c.transport.isConnected()))) {
            close(me);
            c = null;
        }
        if (c == null) {
            Transport transport = getTransport(getSession());
            PasswordAuthentication auth = getPasswordAuthentication();
            transport.connect(getHost(), getPort(), auth.getUserName(), auth.getPassword());
            c = new Connection(transport);
            connections.put(me, c);
        }
        try {
            if (mimeMessage.getSentDate() == null) {
                mimeMessage.setSentDate(new Date());
            }
            String messageId = mimeMessage.getMessageID();
            mimeMessage.saveChanges();
            if (messageId != null) {
                mimeMessage.setHeader("Message-ID", messageId);
            }
            c.transport.sendMessage(mimeMessage, mimeMessage.getAllRecipients());
            c.sent++;
            c.lastUsed = System.currentTimeMillis();
        } catch (MessagingException | RuntimeException e) {
            close(me);
            throw e;
        }
    }

    private void close(Thread t) {
        Connection c = connections.remove(t);
        if (c != null) {
            try {
                c.transport.close();
            } catch (MessagingException e) {
                log.debug("Closing an SMTP connection failed: {}", e.getMessage());
            }
        }
    }

    /** Closes every open connection (route shutdown). */
    public void closeAll() {
        connections.keySet().forEach(this::close);
    }
}
