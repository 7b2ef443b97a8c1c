/** Repository storage on the server: puts, resumable uploads, snapshot commits, deletes, trash, reindex. */
package dev.cairn.server.store;
