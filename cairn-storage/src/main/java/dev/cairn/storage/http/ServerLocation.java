package dev.cairn.storage.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a repository lives on a Cairn server: {@code cairn+https://HOST:PORT/ACCOUNT/REPO} or
 * {@code cairn+http://HOST:PORT/ACCOUNT/REPO}.
 *
 * <p>{@code HOST} is a DNS name, an IPv4 address or an IPv6 address in brackets, and is kept in
 * lowercase as it appears in a URL (brackets included). The port defaults to 8443 for https and
 * 8080 for http. Account and repository names follow the server's rules, so a name the server
 * would refuse is refused here, before any connection. A URL never carries a credential: one
 * with user information is refused, so a token can not end up in shell history or in messages
 * that print the location.
 */
public record ServerLocation(boolean tls, String host, int port, String account, String repo) {
    /** Default port of {@code cairn+https}. */
    public static final int DEFAULT_HTTPS_PORT = 8443;
    /** Default port of {@code cairn+http}. */
    public static final int DEFAULT_HTTP_PORT = 8080;

    private static final String HTTPS_PREFIX = "cairn+https://";
    private static final String HTTP_PREFIX = "cairn+http://";
    private static final String EXPECTED = "expected cairn+https://HOST[:PORT]/ACCOUNT/REPO"
            + " (or cairn+http://…)";
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern REPO = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern DNS_HOST = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,252}[a-z0-9])?");

    public ServerLocation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(repo, "repo");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!validAccount(account)) {
            throw new IllegalArgumentException("invalid account name '" + account
                    + "': use 1 to 32 of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        if (!validRepo(repo)) {
            throw new IllegalArgumentException("invalid repository name '" + repo
                    + "': use 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit,"
                    + " without '..'");
        }
    }

    /** Whether {@code text} is meant as a server URL (it may still be malformed). */
    public static boolean isServerUrl(String text) {
        if (text == null) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith(HTTPS_PREFIX) || lower.startsWith(HTTP_PREFIX);
    }

    /**
     * Parses a server URL.
     *
     * @throws IllegalArgumentException naming the expected form if {@code url} is not one
     */
    public static ServerLocation parse(String url) {
        Objects.requireNonNull(url, "url");
        if (!isServerUrl(url)) {
            throw new IllegalArgumentException("not a Cairn server URL: '" + url + "'; " + EXPECTED);
        }
        boolean tls = url.toLowerCase(Locale.ROOT).startsWith(HTTPS_PREFIX);
        URI uri = toUri(url.substring("cairn+".length()));
        if (uri.getRawUserInfo() != null) {
            // The URL is echoed in messages and logs; refuse rather than risk printing a secret.
            throw new IllegalArgumentException("a server URL must not contain a credential; "
                    + EXPECTED);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw malformed(url, "it has a query or fragment");
        }
        String host = host(uri, url);
        int port = uri.getPort() == -1 ? (tls ? DEFAULT_HTTPS_PORT : DEFAULT_HTTP_PORT) : uri.getPort();
        String[] segments = pathSegments(uri, url);
        try {
            return new ServerLocation(tls, host, port, segments[0], segments[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + EXPECTED, e);
        }
    }

    /** The storage API's base, ending in {@code /}: {@code https://HOST:PORT/v1/repos/ACCOUNT/REPO/}. */
    public URI baseUri() {
        return URI.create(scheme() + "://" + hostAndPort() + "/v1/repos/" + account + "/" + repo + "/");
    }

    /** The server's root, ending in {@code /}: {@code https://HOST:PORT/}. */
    public URI serverUri() {
        return URI.create(scheme() + "://" + hostAndPort() + "/");
    }

    /** {@code HOST:PORT}, with an IPv6 host in brackets; identifies the server in known_servers. */
    public String hostAndPort() {
        return host + ":" + port;
    }

    /** The host as a socket address wants it: an IPv6 address without brackets. */
    public String socketHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** The URL in the form {@link #parse} accepts, always with the port. */
    @Override
    public String toString() {
        return "cairn+" + scheme() + "://" + hostAndPort() + "/" + account + "/" + repo;
    }

    private String scheme() {
        return tls ? "https" : "http";
    }

    static boolean validAccount(String account) {
        return ACCOUNT.matcher(account).matches();
    }

    static boolean validRepo(String repo) {
        return REPO.matcher(repo).matches() && !repo.contains("..");
    }

    private static URI toUri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed server URL '" + url + "' (" + e.getReason()
                    + "); " + EXPECTED, e);
        }
    }

    private static String host(URI uri, String url) {
        String host = uri.getHost();
        if (host == null) {
            // java.net.URI leaves the host null when the authority is not a valid server
            // authority (bad characters, a non-numeric port, a missing host).
            throw malformed(url, "no valid host and port");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (!host.startsWith("[") && !DNS_HOST.matcher(host).matches()) {
            throw malformed(url, "invalid host '" + host + "'");
        }
        return host;
    }

    private static String[] pathSegments(URI uri, String url) {
        String path = uri.getRawPath();
        if (path != null && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String[] segments = path == null || path.isEmpty() ? new String[0] : path.substring(1).split("/", -1);
        if (segments.length != 2) {
            throw malformed(url, "the path must be /ACCOUNT/REPO");
        }
        return segments;
    }

    private static IllegalArgumentException malformed(String url, String why) {
        return new IllegalArgumentException("malformed server URL '" + url + "': " + why + "; " + EXPECTED);
    }
}
