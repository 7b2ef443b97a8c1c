/** HTTP: the Jetty handler implementing the Cairn server protocol. */
package dev.cairn.server.http;
