/** Server housekeeping: retention, pack collection, trash and upload purging. */
package dev.cairn.server.maintenance;
