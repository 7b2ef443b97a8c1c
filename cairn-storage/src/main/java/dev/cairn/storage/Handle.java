package dev.cairn.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one file in a backend: its kind and its name. Names are restricted to lowercase hex,
 * digits and {@code -}, 1 to 128 characters, so no name can traverse outside its folder on any
 * backend. The config file's name is always {@code config}.
 */
public record Handle(FileKind kind, String name) {
    private static final Pattern NAME = Pattern.compile("[0-9a-z-]{1,128}");

    public Handle {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (kind == FileKind.CONFIG ? !name.equals("config") : !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + kind + " file name: '" + name + "'");
        }
    }

    public static Handle config() {
        return new Handle(FileKind.CONFIG, "config");
    }

    public static Handle of(FileKind kind, String name) {
        return new Handle(kind, name);
    }

    @Override
    public String toString() {
        return kind == FileKind.CONFIG ? "config" : kind.folder() + "/" + name;
    }
}
