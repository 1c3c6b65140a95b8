/** A phone agent on the offline providers, answering Twilio, Telnyx, Vonage and raw WebSocket calls. */
package io.parley.examples.phone;
