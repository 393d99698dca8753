/**
 * Camel routes that talk to the outside world: message channels (e-mail, WhatsApp, marketplace
 * messaging) and marketplace connectors. A plain library: the server builds the Camel context and
 * registers these route builders; nothing here knows about Spring or the server's storage.
 */
package dev.caravan.integrations;
