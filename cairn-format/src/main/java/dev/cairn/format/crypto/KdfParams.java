package dev.cairn.format.crypto;

/**
 * Argon2id parameters, stored in each key slot so they can be raised later without breaking old
 * slots. {@link #DEFAULT} costs about half a second and 64 MiB on a laptop; tests use cheaper ones.
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);
    /** 1 GiB: more would let a planted key slot exhaust a client's memory on open. */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;

    /** Refuses parameters too weak to matter or so large that opening would exhaust memory. */
    public KdfParams {
        if (memoryKiB < 8 || memoryKiB > MAX_MEMORY_KIB || iterations < 1 || iterations > 100
                || parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("unreasonable Argon2id parameters: m=" + memoryKiB
                    + " KiB, t=" + iterations + ", p=" + parallelism);
        }
    }
}
