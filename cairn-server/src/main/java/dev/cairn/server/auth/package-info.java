/** Credentials: Argon2id hashing, device tokens, request authentication and failure limiting. */
package dev.cairn.server.auth;
