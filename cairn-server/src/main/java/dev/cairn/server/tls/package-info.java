/** The server certificate: self-signed on first start, or loaded from PEM files. */
package dev.cairn.server.tls;
