/** A phone agent on the offline providers, answering Twilio, Telnyx, Exotel, Vonage and raw WebSocket calls. */
package io.parley.examples.phone;
