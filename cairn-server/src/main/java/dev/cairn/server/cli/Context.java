package dev.cairn.server.cli;

import dev.cairn.format.crypto.KdfParams;
import java.io.BufferedReader;
import java.io.Console;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** What commands get from their surroundings; tests substitute every part. */
record Context(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, KdfParams kdf,
               Console console, BufferedReader stdin) {}
