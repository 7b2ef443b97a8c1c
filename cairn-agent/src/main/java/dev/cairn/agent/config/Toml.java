package dev.cairn.agent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the TOML subset the agent's configuration uses: comments, table headers of bare
 * keys ({@code [set.documents]}), and {@code key = value} lines whose values are strings (basic
 * with escapes, or literal), integers, decimals, booleans or arrays of strings that may span
 * lines. Everything else is reported as a problem with its line and column; parsing then resumes
 * on the next line, so one pass finds every syntax mistake.
 */
final class Toml {
    /** A parsed value: a String, Long, Double, Boolean or List of String, and where it starts. */
    record Value(Object value, int line, int column) {
        String typeName() {
            if (value instanceof String) {
                return "a string";
            } else if (value instanceof Long) {
                return "an integer";
            } else if (value instanceof Double) {
                return "a number";
            } else if (value instanceof Boolean) {
                return "a boolean";
            }
            return "an array";
        }
    }

    /** One {@code key = value} line. */
    record Entry(String key, Value value, int line, int column) {}

    /** A table: its dotted path (empty for the top), its header line, and its entries by key. */
    record Table(List<String> path, int line, Map<String, Entry> entries) {
        String header() {
            return "[" + String.join(".", path) + "]";
        }
    }

    /** Stands for a value whose syntax was wrong, so its key counts as present but is not checked again. */
    static final Object BROKEN = new Object();

    private final String text;
    private final Problems problems;
    private final List<Table> tables = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int lineStart;
    private boolean inArray;

    private Toml(String text, Problems problems) {
        this.text = text;
        this.problems = problems;
    }

    /** Parses {@code text}; the result holds the top-level table first, then each table in order. */
    static List<Table> parse(String text, Problems problems) {
        Toml toml = new Toml(text.startsWith("\uFEFF") ? text.substring(1) : text, problems);
        toml.document();
        return List.copyOf(toml.tables);
    }

    /** A syntax mistake; caught per statement so parsing can go on with the next line. */
    private static final class SyntaxError extends RuntimeException {
        final int line;
        final int column;
        final boolean resumeHere;

        SyntaxError(int line, int column, String message) {
            this(line, column, message, false);
        }

        SyntaxError(int line, int column, String message, boolean resumeHere) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
            this.resumeHere = resumeHere;
        }
    }

    private void document() {
        Map<String, Table> seen = new LinkedHashMap<>();
        Table current = new Table(List.of(), 0, new LinkedHashMap<>());
        tables.add(current);
        while (true) {
            skipBlankLines();
            if (atEnd()) {
                return;
            }
            try {
                if (peek() == '[') {
                    Table table = header();
                    Table previous = seen.putIfAbsent(table.header(), table);
                    if (previous != null) {
                        problems.add(table.line(), 1, "duplicate table " + table.header()
                                + "; it was already defined on line " + previous.line());
                    } else {
                        tables.add(table);
                    }
                    // Keys after a duplicate header still get checked, in a table nobody reads.
                    current = table;
                } else {
                    entry(current);
                }
                endOfLine();
            } catch (SyntaxError e) {
                problems.add(e.line, e.column, e.getMessage());
                if (!e.resumeHere) {
                    recover();
                }
            }
        }
    }

    private Table header() {
        int headerLine = line;
        pos++;
        if (peek() == '[') {
            throw error("arrays of tables ([[...]]) are not supported; expected [agent] or [set.NAME]");
        }
        List<String> path = new ArrayList<>();
        while (true) {
            skipSpaces();
            path.add(bareKey("a table name"));
            skipSpaces();
            if (peek() == '.') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                return new Table(List.copyOf(path), headerLine, new LinkedHashMap<>());
            } else {
                throw error("expected '.' or ']' in the table header");
            }
        }
    }

    private void entry(Table table) {
        int keyLine = line;
        int keyColumn = column();
        String key = bareKey("a key (like paths = [...]) or a table header (like [set.NAME])");
        skipSpaces();
        if (peek() == '.') {
            throw error("dotted keys are not supported; put '" + key + "' in its own [table]");
        }
        if (peek() != '=') {
            throw error("expected '=' after '" + key + "'");
        }
        pos++;
        skipSpaces();
        Value value;
        try {
            value = value();
        } catch (SyntaxError e) {
            table.entries().putIfAbsent(key, new Entry(key, new Value(BROKEN, keyLine, keyColumn), keyLine, keyColumn));
            throw e;
        }
        Entry previous = table.entries().putIfAbsent(key, new Entry(key, value, keyLine, keyColumn));
        if (previous != null) {
            problems.add(keyLine, keyColumn, "duplicate key '" + key + "'"
                    + (table.path().isEmpty() ? "" : " in " + table.header())
                    + "; it was already set on line " + previous.line());
        }
    }

    private String bareKey(String expected) {
        int start = pos;
        while (!atEnd() && isBareKeyChar(peek())) {
            pos++;
        }
        if (start == pos) {
            if (peek() == '"' || peek() == '\'') {
                throw error("quoted keys are not supported; use letters, digits, '-' and '_'");
            }
            throw error("expected " + expected + describeHere());
        }
        return text.substring(start, pos);
    }

    private static boolean isBareKeyChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private Value value() {
        int valueLine = line;
        int valueColumn = column();
        if (atEnd() || peek() == '\n' || peek() == '\r' || peek() == '#') {
            throw error("expected a value after '='");
        }
        char c = peek();
        Object value;
        if (c == '"' || c == '\'') {
            value = string();
        } else if (c == '[') {
            value = array();
        } else if (text.startsWith("true", pos) && !isBareKeyChar(charAt(pos + 4))) {
            pos += 4;
            value = Boolean.TRUE;
        } else if (text.startsWith("false", pos) && !isBareKeyChar(charAt(pos + 5))) {
            pos += 5;
            value = Boolean.FALSE;
        } else if (c == '+' || c == '-' || c >= '0' && c <= '9') {
            value = number();
        } else {
            throw error("expected a value: a \"string\", a number, true, false or an array [...]"
                    + " (strings need quotes)");
        }
        return new Value(value, valueLine, valueColumn);
    }

    private String string() {
        char quote = peek();
        if (text.startsWith(String.valueOf(quote).repeat(3), pos)) {
            throw error("multi-line strings are not supported; write the value on one line");
        }
        int startLine = line;
        int startColumn = column();
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n' || peek() == '\r') {
                throw new SyntaxError(startLine, startColumn, "unterminated string; expected a closing "
                        + quote + " on the same line");
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && quote == '"') {
                escape(out);
            } else {
                out.append(c);
            }
        }
    }

    private void escape(StringBuilder out) {
        char e = charAt(pos);
        pos++;
        switch (e) {
            case '"', '\\' -> out.append(e);
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u', 'U' -> out.appendCodePoint(unicode(e == 'u' ? 4 : 8));
            default -> {
                pos--;
                throw error("invalid escape '\\" + e + "'; expected one of \\\" \\\\ \\n \\t \\r \\b \\f"
                        + " \\uXXXX, or use a 'literal string' for Windows paths");
            }
        }
    }

    private int unicode(int digits) {
        if (pos + digits > text.length()) {
            throw error("expected " + digits + " hex digits in the unicode escape");
        }
        try {
            int cp = Integer.parseInt(text.substring(pos, pos + digits), 16);
            if (!Character.isValidCodePoint(cp)) {
                throw error("invalid unicode code point in escape");
            }
            pos += digits;
            return cp;
        } catch (NumberFormatException ex) {
            throw error("expected " + digits + " hex digits in the unicode escape");
        }
    }

    private List<String> array() {
        int startLine = line;
        int startColumn = column();
        pos++;
        inArray = true;
        List<String> items = new ArrayList<>();
        while (true) {
            skipArraySpace();
            if (atEnd()) {
                throw error("unterminated array; expected ']'");
            }
            if (peek() == ']') {
                pos++;
                inArray = false;
                return List.copyOf(items);
            }
            if (peek() != '"' && peek() != '\'') {
                unterminatedIfOnLaterLine(startLine, startColumn);
                throw error("expected a quoted string or ']' in the array" + describeHere()
                        + " (arrays hold strings only)");
            }
            items.add(string());
            skipArraySpace();
            if (peek() == ',') {
                pos++;
            } else if (peek() != ']') {
                unterminatedIfOnLaterLine(startLine, startColumn);
                throw error("expected ',' or ']' after an array item" + describeHere());
            }
        }
    }

    /**
     * Something other than an array item on a later line than the array's start is most likely
     * the next key after a forgotten ']': report the array where it opened and read on from here.
     */
    private void unterminatedIfOnLaterLine(int startLine, int startColumn) {
        if (line != startLine) {
            inArray = false;
            pos = lineStart;
            throw new SyntaxError(startLine, startColumn, "unterminated array; expected ']'", true);
        }
    }

    private Object number() {
        int start = pos;
        while (!atEnd() && (isBareKeyChar(peek()) || peek() == '.' || peek() == '+')) {
            pos++;
        }
        String raw = text.substring(start, pos);
        String digits = raw.replace("_", "");
        try {
            if (digits.matches("[+-]?\\d+")) {
                return Long.parseLong(digits);
            }
            if (digits.matches("[+-]?\\d+\\.\\d+")) {
                return Double.parseDouble(digits);
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        pos = start;
        throw error("'" + raw + "' is not a number; quote text values, like \"" + raw + "\"");
    }

    /** After a statement only spaces and a comment may follow on the line. */
    private void endOfLine() {
        skipSpaces();
        if (peek() == '#') {
            skipToNextLine();
            return;
        }
        if (!atEnd() && peek() != '\n' && peek() != '\r') {
            throw error("expected the end of the line" + describeHere());
        }
        skipToNextLine();
    }

    /**
     * Skips what is left of a broken statement. Inside a multi-line array that means up to its
     * ']', so the array's remaining lines do not each produce a confusing second problem.
     */
    private void recover() {
        if (inArray) {
            while (!atEnd() && peek() != ']' && !(peek() == '\n' && nextLineLooksLikeStatement())) {
                advance();
            }
            inArray = false;
        }
        skipToNextLine();
    }

    private boolean nextLineLooksLikeStatement() {
        int i = pos + 1;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= text.length()) {
            return true;
        }
        char c = text.charAt(i);
        int eq = text.indexOf('=', i);
        int nl = text.indexOf('\n', i);
        return c == '[' || isBareKeyChar(c) && eq >= 0 && (nl < 0 || eq < nl);
    }

    private void skipBlankLines() {
        while (!atEnd()) {
            skipSpaces();
            if (peek() == '#') {
                skipToNextLine();
            } else if (peek() == '\n' || peek() == '\r') {
                advance();
            } else {
                return;
            }
        }
    }

    private void skipArraySpace() {
        while (!atEnd()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                advance();
            } else if (c == '#') {
                while (!atEnd() && peek() != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private void skipSpaces() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
            pos++;
        }
    }

    private void skipToNextLine() {
        while (!atEnd() && peek() != '\n') {
            pos++;
        }
        if (!atEnd()) {
            advance();
        }
    }

    /** Moves one character, keeping the line count. */
    private void advance() {
        if (text.charAt(pos++) == '\n') {
            line++;
            lineStart = pos;
        }
    }

    private String describeHere() {
        if (atEnd()) {
            return ", found the end of the file";
        }
        char c = peek();
        return c == '\n' || c == '\r' ? ", found the end of the line" : ", found '" + c + "'";
    }

    private SyntaxError error(String message) {
        return new SyntaxError(line, column(), message);
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return charAt(pos);
    }

    private char charAt(int i) {
        return i < text.length() ? text.charAt(i) : '\0';
    }
}
