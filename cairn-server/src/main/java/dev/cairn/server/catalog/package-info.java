/** The server's SQLite catalog: accounts, tokens, repositories, files, envelopes, trash, activity. */
package dev.cairn.server.catalog;
