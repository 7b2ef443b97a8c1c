package dev.cairn.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.server.catalog.Catalog;
import dev.cairn.testkit.FakeClock;
import dev.cairn.testkit.TestKdf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(Instant.parse("2030-01-01T00:00:00Z"));
    final CredentialHasher hasher = new CredentialHasher(TestKdf.CHEAP);
    Catalog catalog;
    Authenticator auth;
    DeviceToken token;

    @BeforeEach
    void setUp() {
        catalog = Catalog.open(dir, clock);
        long id = catalog.createAccount("alice", hasher.hash("correct horse")).id();
        token = DeviceToken.generate();
        catalog.createToken(token.id(), id, "laptop", hasher.hash(token.secret()), true);
        auth = new Authenticator(catalog, hasher, clock);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hash_producesPhcStringThatVerifies() {
        String phc = hasher.hash("secret");
        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=8,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify("secret", phc)).isTrue();
        assertThat(hasher.verify("Secret", phc)).isFalse();
        assertThat(hasher.verify("secret", "$argon2id$garbage")).isFalse();
    }

    @Test
    void hash_productionDefaults_areInThePhcString() {
        assertThat(new CredentialHasher(CredentialHasher.DEFAULT).hash("x")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void deviceToken_formatAndParsing() {
        assertThat(token.text()).matches("cairn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}");
        assertThat(DeviceToken.parse(token.text())).contains(token);
        assertThat(DeviceToken.parse("cairn_XYZ_abc")).isEmpty();
        assertThat(token.toString()).doesNotContain(token.secret());
    }

    @Test
    void authenticate_tokenAndPassword_givePrincipals() throws Exception {
        Principal device = auth.authenticate("Bearer " + token.text(), "10.0.0.1");
        assertThat(device.accountName()).isEqualTo("alice");
        assertThat(device.appendOnly()).isTrue();
        assertThat(device.owner()).isFalse();
        assertThat(device.credential()).startsWith("token " + token.id().substring(0, 8)).endsWith("(laptop)");
        Principal owner = auth.authenticate(basic("alice", "correct horse"), "10.0.0.1");
        assertThat(owner.owner()).isTrue();
        assertThat(owner.appendOnly()).isFalse();
    }

    @Test
    void authenticate_wrongSecret_refused() {
        String forged = "Bearer cairn_" + token.id() + "_" + "B".repeat(43);
        AuthFailure f = catchThrowableOfType(AuthFailure.class, () -> auth.authenticate(forged, "10.0.0.1"));
        assertThat(f.status()).isEqualTo(401);
        assertThatThrownBy(() -> auth.authenticate(basic("alice", "wrong"), "10.0.0.1")).isInstanceOf(AuthFailure.class);
        assertThatThrownBy(() -> auth.authenticate(basic("nobody", "wrong"), "10.0.0.1")).isInstanceOf(AuthFailure.class);
        assertThatThrownBy(() -> auth.authenticate(null, "10.0.0.1")).isInstanceOf(AuthFailure.class);
    }

    @Test
    void authenticate_cachesVerification() throws Exception {
        auth.authenticate("Bearer " + token.text(), "10.0.0.1");
        long before = hasher.verifications();
        auth.authenticate("Bearer " + token.text(), "10.0.0.1");
        assertThat(hasher.verifications()).isEqualTo(before);
        clock.advance(Duration.ofMinutes(11));
        auth.authenticate("Bearer " + token.text(), "10.0.0.1");
        assertThat(hasher.verifications()).isEqualTo(before + 1);
    }

    @Test
    void authenticate_revokedToken_refusedEvenWhenCached() throws Exception {
        auth.authenticate("Bearer " + token.text(), "10.0.0.1");
        catalog.revokeToken(token.id());
        AuthFailure f = catchThrowableOfType(AuthFailure.class,
                () -> auth.authenticate("Bearer " + token.text(), "10.0.0.1"));
        assertThat(f.status()).isEqualTo(401);
        assertThat(f.getMessage()).contains("revoked");
    }

    @Test
    void authenticate_changedPassword_oldOneRefusedEvenWhenCached() throws Exception {
        auth.authenticate(basic("alice", "correct horse"), "10.0.0.1");
        long id = catalog.account("alice").orElseThrow().id();
        catalog.setPasswordHash(id, hasher.hash("new password"));
        assertThatThrownBy(() -> auth.authenticate(basic("alice", "correct horse"), "10.0.0.1"))
                .isInstanceOf(AuthFailure.class);
        assertThat(auth.authenticate(basic("alice", "new password"), "10.0.0.1").owner()).isTrue();
    }

    @Test
    void authenticate_eleventhFailure_gets429WithoutVerification() {
        for (int i = 0; i < 10; i++) {
            assertThat(catchThrowableOfType(AuthFailure.class,
                    () -> auth.authenticate(basic("alice", "wrong"), "10.0.0.2")).status()).isEqualTo(401);
        }
        long verified = hasher.verifications();
        AuthFailure f = catchThrowableOfType(AuthFailure.class,
                () -> auth.authenticate(basic("alice", "correct horse"), "10.0.0.2"));
        assertThat(f.status()).isEqualTo(429);
        assertThat(f.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));
        assertThat(hasher.verifications()).isEqualTo(verified);
        // The account is limited from other addresses too.
        assertThat(catchThrowableOfType(AuthFailure.class,
                () -> auth.authenticate(basic("alice", "correct horse"), "10.0.0.3")).status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(10));
        assertThat(catchThrowableOfType(AuthFailure.class,
                () -> auth.authenticate(basic("alice", "correct horse"), "10.0.0.2"))).isNull();
    }

    @Test
    void authenticate_manyFailuresFromOneAddress_limitThatAddress() throws Exception {
        for (int i = 0; i < 10; i++) {
            catchThrowableOfType(AuthFailure.class, () -> auth.authenticate("Bearer junk", "10.0.0.9"));
        }
        AuthFailure f = catchThrowableOfType(AuthFailure.class,
                () -> auth.authenticate("Bearer " + token.text(), "10.0.0.9"));
        assertThat(f.status()).isEqualTo(429);
        assertThat(auth.authenticate("Bearer " + token.text(), "10.0.0.10").accountName()).isEqualTo("alice");
    }
}
