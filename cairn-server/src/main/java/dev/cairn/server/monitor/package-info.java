/**
 * Monitoring: run reports from agents, the state of every client's backup sets, incidents with
 * their alerts, reminders and recovery notices, daily reports, and Prometheus metrics.
 */
package dev.cairn.server.monitor;
