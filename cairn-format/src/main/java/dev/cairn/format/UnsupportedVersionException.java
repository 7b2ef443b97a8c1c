package dev.cairn.format;

import java.io.IOException;

/** A file was written in a format version this Cairn does not know: it is newer, or too old. */
public class UnsupportedVersionException extends IOException {
    public UnsupportedVersionException(String what, int found, int supported) {
        super(what + " has format version " + found + ", but this Cairn reads version "
                + supported + (found > supported
                        ? " and older; it was written by a newer Cairn: upgrade Cairn to read it"
                        : ": the file is damaged or was never a Cairn file"));
    }
}
