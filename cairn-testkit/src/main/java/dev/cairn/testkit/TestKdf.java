package dev.cairn.testkit;

import dev.cairn.format.crypto.KdfParams;

/**
 * Argon2id parameters cheap enough for tests (8 KiB, one pass). Never used outside tests: real key
 * slots use {@link KdfParams#DEFAULT}.
 */
public final class TestKdf {
    public static final KdfParams CHEAP = new KdfParams(8, 1, 1);

    private TestKdf() {}
}
