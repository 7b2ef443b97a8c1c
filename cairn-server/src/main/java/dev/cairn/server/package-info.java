/** The Cairn backup server: storage API over HTTPS, accounts, quotas, trash and retention. */
package dev.cairn.server;
