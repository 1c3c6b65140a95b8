/**
 * Speech-ready text: a chain of streaming transforms between an agent and a synthesizer that
 * drops markdown and emoji and writes numbers, dates, currencies, units, phone numbers and
 * addresses the way they are said. Start at {@link io.parley.text.speech.SpeechText}.
 */
package io.parley.text.speech;
