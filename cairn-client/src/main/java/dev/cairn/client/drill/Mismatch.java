package dev.cairn.client.drill;

/**
 * One file a restore drill found wrong.
 *
 * @param path the file's absolute path in the snapshot, for people
 * @param kind what disagreed with what
 * @param detail what exactly went wrong: the damaged chunk, the error, or the first differing byte
 */
public record Mismatch(String path, Kind kind, String detail) {

    /** Where the fault lies. */
    public enum Kind {
        /** The backup cannot give the file back: a chunk failed its check, is missing, or the size is wrong. */
        DAMAGED_BACKUP("damaged-backup"),
        /**
         * Every chunk verified, yet the restored copy read back differs from the snapshot: the fault
         * is on this machine (the temporary disk or memory), not in the backup.
         */
        RESTORE_DIFFERS("restore-differs"),
        /**
         * The backup is intact, but the source file differs from it although its size and
         * modification time are unchanged: bit rot on the source disk, or a tool that changed the
         * content and put the old modification time back.
         */
        SOURCE_DIFFERS("source-differs");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The name shown to people and in JSON, e.g. {@code damaged-backup}. */
        public String label() {
            return label;
        }
    }
}
