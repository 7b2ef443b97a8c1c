package dev.cairn.server.alert;

import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends plain-text email through one SMTP server (Jakarta Mail), with the security and optional
 * login of the settings. Each {@link #send} opens its own connection, so the mailer is thread-safe
 * and a broken connection never outlives one message. Timeouts are bounded so a dead SMTP server
 * cannot stall the monitor for long.
 */
public final class Mailer {
    private static final String TIMEOUT_MS = "20000";

    private final Session session;
    private final InternetAddress from;
    private final Clock clock;

    /**
     * @param passwordFile the file whose first line is the SMTP password, or null
     * @throws IOException if the password file cannot be read
     */
    public Mailer(String host, int port, SmtpSecurity security, String user, Path passwordFile, String from,
                  Clock clock) throws IOException {
        this.clock = clock;
        this.from = address(from);
        String protocol = security == SmtpSecurity.TLS ? "smtps" : "smtp";
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", host);
        p.put("mail." + protocol + ".port", Integer.toString(port));
        p.put("mail." + protocol + ".connectiontimeout", TIMEOUT_MS);
        p.put("mail." + protocol + ".timeout", TIMEOUT_MS);
        p.put("mail." + protocol + ".writetimeout", TIMEOUT_MS);
        if (security == SmtpSecurity.STARTTLS) {
            // Required, not merely enabled: a stripped STARTTLS must not downgrade to plain text.
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (security != SmtpSecurity.NONE) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        Authenticator login = null;
        if (user != null) {
            String password = passwordFile == null ? "" : firstLine(passwordFile);
            p.put("mail." + protocol + ".auth", "true");
            login = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(p, login);
    }

    private static String firstLine(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new IOException("the SMTP password file " + file + " is empty; put the password on its first line");
        }
        return lines.get(0);
    }

    /** Sends one message to one recipient; fails with the SMTP server's answer. */
    public void send(String to, String subject, String body) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipient(Message.RecipientType.TO, address(to));
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        m.setSentDate(Date.from(clock.instant()));
        Transport.send(m);
    }

    /** Checks and parses an email address strictly; fails with a message naming it. */
    public static InternetAddress address(String text) {
        try {
            InternetAddress a = new InternetAddress(text.strip(), true);
            if (!a.getAddress().contains("@")) {
                throw new AddressException("no @");
            }
            return a;
        } catch (AddressException e) {
            throw new IllegalArgumentException("'" + text + "' is not an email address");
        }
    }
}
