package dev.cairn.server.store;

import dev.cairn.storage.FileKind;
import dev.cairn.storage.Handle;
import java.util.regex.Pattern;

/**
 * The name rules of docs/design.md ("Server protocol"): account names
 * {@code [a-z0-9][a-z0-9_-]{0,31}}, repository names {@code [a-z0-9][a-z0-9._-]{0,63}} without
 * {@code ..}, kinds by folder name, file names by the repository layout's rule. Checked before any
 * lookup, so nothing malformed ever reaches the file system.
 */
public final class Names {
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private Names() {}

    public static boolean isAccount(String s) {
        return s != null && ACCOUNT.matcher(s).matches();
    }

    public static boolean isRepository(String s) {
        return s != null && REPOSITORY.matcher(s).matches() && !s.contains("..");
    }

    /** The kind whose folder name is {@code folder}, or null. */
    public static FileKind kind(String folder) {
        for (FileKind k : FileKind.values()) {
            if (k.folder().equals(folder)) {
                return k;
            }
        }
        return null;
    }

    /** The handle, or null if {@code name} is not a valid name for that kind. */
    public static Handle handle(FileKind kind, String name) {
        try {
            return new Handle(kind, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Throws 400 bad-name unless {@code name} is a valid account name. */
    public static String requireAccount(String name) throws StoreException {
        if (!isAccount(name)) {
            throw StoreException.badName("'" + name + "' is not a valid account name: use 1 to 32 of a-z, 0-9,"
                    + " '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    /** Whether files of this kind are named by the SHA-256 of their bytes. */
    public static boolean contentAddressed(FileKind kind) {
        return switch (kind) {
            case PACK, INDEX, SNAPSHOT, MARK, POLICY -> true;
            case CONFIG, KEY, LOCK -> false;
        };
    }
}
