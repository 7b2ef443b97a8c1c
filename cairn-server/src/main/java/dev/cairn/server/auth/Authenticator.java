package dev.cairn.server.auth;

import dev.cairn.server.catalog.Catalog;
import dev.cairn.server.catalog.Catalog.Account;
import dev.cairn.server.catalog.Catalog.Token;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization} header into a {@link Principal}, or refuses it.
 *
 * <p>{@code Bearer cairn_<id>_<secret>} authenticates a device token, {@code Basic
 * base64(account:password)} the account password. Successful Argon2id verifications are
 * remembered for 10 minutes, keyed by the SHA-256 of the presented header, so a busy client does
 * not pay for Argon2id per request; every request still reads the credential's row (cheap), so a
 * revoked token or a changed password, even by another process, stops working at once.
 *
 * <p>Failures are counted per client address and per account name; with 10 failures within 10
 * minutes further attempts are refused with 429 before any Argon2id work. Thread-safe.
 */
public final class Authenticator {
    static final Duration CACHE_TTL = Duration.ofMinutes(10);
    static final int FAILURE_LIMIT = 10;
    static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);
    private static final int CACHE_MAX = 50_000;
    private static final long TOUCH_INTERVAL_MS = 60_000;

    private final Catalog catalog;
    private final CredentialHasher hasher;
    private final Clock clock;
    private final FailureLimiter limiter;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Verified against when the account is unknown, so timing does not reveal which names exist. */
    private final String decoyHash;

    /** What a verified credential was, as of verification; checked against the row on each use. */
    private record Cached(long accountId, String tokenId, String storedHash, long expiresMs, long touchedMs) {}

    public Authenticator(Catalog catalog, CredentialHasher hasher, Clock clock) {
        this.catalog = catalog;
        this.hasher = hasher;
        this.clock = clock;
        this.limiter = new FailureLimiter(FAILURE_LIMIT, FAILURE_WINDOW, clock);
        this.decoyHash = hasher.hash("decoy");
    }

    /**
     * Authenticates a request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param remoteAddress the client's address, for failure counting
     */
    public Principal authenticate(String authorization, String remoteAddress) throws AuthFailure {
        String addressKey = "address " + remoteAddress;
        if (authorization == null || authorization.isBlank()) {
            throw AuthFailure.unauthorized("this request needs a credential: a device token (Bearer) or the"
                    + " account password (Basic)");
        }
        checkLimit(addressKey);
        String header = authorization.strip();
        if (regionIs(header, "Bearer ")) {
            return bearer(header, header.substring(7).strip(), addressKey);
        }
        if (regionIs(header, "Basic ")) {
            return basic(header, header.substring(6).strip(), addressKey);
        }
        limiter.recordFailure(addressKey);
        throw AuthFailure.unauthorized("unsupported Authorization scheme: use Bearer with a device token or"
                + " Basic with the account password");
    }

    /** Forgets cached verifications of an account (after its password changed). */
    public void forgetAccount(long accountId) {
        cache.values().removeIf(c -> c.accountId() == accountId);
    }

    private Principal bearer(String header, String presented, String addressKey) throws AuthFailure {
        Optional<DeviceToken> parsed = DeviceToken.parse(presented);
        if (parsed.isEmpty()) {
            limiter.recordFailure(addressKey);
            throw AuthFailure.unauthorized("the device token is malformed (expected cairn_<16 hex>_<43 characters>)");
        }
        DeviceToken token = parsed.get();
        Optional<Token> row = catalog.token(token.id());
        Optional<Account> account = row.flatMap(t -> catalog.account(t.accountId()));
        if (row.isEmpty() || account.isEmpty()) {
            limiter.recordFailure(addressKey);
            throw AuthFailure.unauthorized("the server does not know this device token");
        }
        String accountKey = "account " + account.get().name();
        checkLimit(accountKey);
        Token t = row.get();
        if (t.revoked()) {
            fail(addressKey, accountKey, "this device token was revoked; ask the server's administrator for a new one");
        }
        String key = cacheKey(header);
        Cached cached = fresh(key);
        if (cached == null || !t.id().equals(cached.tokenId()) || !t.secretHash().equals(cached.storedHash())) {
            if (!hasher.verify(token.secret(), t.secretHash())) {
                fail(addressKey, accountKey, "the device token's secret is wrong");
            }
            cached = remember(key, t.accountId(), t.id(), t.secretHash(), 0);
        }
        touch(key, cached, t.id());
        return new Principal(t.accountId(), account.get().name(), describe(t), "token:" + t.id(), t.appendOnly(),
                false);
    }

    private Principal basic(String header, String encoded, String addressKey) throws AuthFailure {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            limiter.recordFailure(addressKey);
            throw AuthFailure.unauthorized("the Basic credential is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            limiter.recordFailure(addressKey);
            throw AuthFailure.unauthorized("the Basic credential must be account:password");
        }
        String name = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        String accountKey = "account " + name;
        checkLimit(accountKey);
        Optional<Account> account = catalog.account(name);
        String key = cacheKey(header);
        Cached cached = fresh(key);
        if (account.isPresent() && cached != null && cached.tokenId() == null
                && cached.accountId() == account.get().id()
                && account.get().passwordHash().equals(cached.storedHash())) {
            return owner(account.get());
        }
        boolean ok = hasher.verify(password, account.map(Account::passwordHash).orElse(decoyHash));
        if (account.isEmpty() || !ok) {
            fail(addressKey, accountKey, "wrong account name or password");
        }
        remember(key, account.get().id(), null, account.get().passwordHash(), 0);
        return owner(account.get());
    }

    private static Principal owner(Account a) {
        return new Principal(a.id(), a.name(), "password", "password", false, true);
    }

    private static String describe(Token t) {
        return "token " + t.id().substring(0, 8) + "… (" + t.device() + ")";
    }

    private void checkLimit(String key) throws AuthFailure {
        Optional<Duration> wait = limiter.blocked(key);
        if (wait.isPresent()) {
            throw AuthFailure.tooMany(wait.get());
        }
    }

    private void fail(String addressKey, String accountKey, String message) throws AuthFailure {
        limiter.recordFailure(addressKey);
        limiter.recordFailure(accountKey);
        throw AuthFailure.unauthorized(message);
    }

    private Cached fresh(String key) {
        Cached c = cache.get(key);
        if (c != null && c.expiresMs() <= clock.millis()) {
            cache.remove(key, c);
            return null;
        }
        return c;
    }

    private Cached remember(String key, long accountId, String tokenId, String storedHash, long touchedMs) {
        long now = clock.millis();
        if (cache.size() >= CACHE_MAX) {
            cache.values().removeIf(c -> c.expiresMs() <= now);
            if (cache.size() >= CACHE_MAX) {
                cache.clear();
            }
        }
        Cached c = new Cached(accountId, tokenId, storedHash, now + CACHE_TTL.toMillis(), touchedMs);
        cache.put(key, c);
        return c;
    }

    /** Records last use, at most once a minute per cached credential, to spare the database. */
    private void touch(String key, Cached cached, String tokenId) {
        long now = clock.millis();
        if (now - cached.touchedMs() >= TOUCH_INTERVAL_MS) {
            catalog.touchToken(tokenId);
            cache.replace(key, cached, new Cached(cached.accountId(), cached.tokenId(), cached.storedHash(),
                    cached.expiresMs(), now));
        }
    }

    private static boolean regionIs(String header, String prefix) {
        return header.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static String cacheKey(String header) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(header.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
