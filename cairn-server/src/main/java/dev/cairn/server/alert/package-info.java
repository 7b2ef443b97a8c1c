/**
 * Alert channels: email over SMTP ({@link dev.cairn.server.alert.Mailer}), JSON webhooks
 * ({@link dev.cairn.server.alert.Webhook}), and the delivery of the catalog's outbox through them
 * ({@link dev.cairn.server.alert.Postman}).
 */
package dev.cairn.server.alert;
