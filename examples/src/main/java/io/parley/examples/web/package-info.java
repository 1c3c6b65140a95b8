/**
 * The browser demo: {@link io.parley.examples.web.WebDemo} serves a page where a person talks to
 * a Parley agent over WebRTC; {@link io.parley.examples.web.WebDemoMain} runs it with offline
 * speech (or Deepgram/ElevenLabs when their keys are set).
 */
package io.parley.examples.web;
