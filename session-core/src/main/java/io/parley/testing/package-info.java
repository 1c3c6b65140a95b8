/**
 * A test kit for applications built on Parley: a {@link io.parley.testing.VirtualClock},
 * scripted fakes for every provider, a scripted agent and an in-memory transport, so a
 * whole conversation runs deterministically in milliseconds.
 *
 * <pre>{@code
 * VirtualClock clock = new VirtualClock();
 * UserScript user = new UserScript().say(500, 1500, "what time is it");
 * VoiceSession session = VoiceSession.builder()
 *         .clock(clock)
 *         .transport(InMemoryTransport.builder(clock).script(user).build())
 *         .vad(new FakeVad())
 *         .stt(FakeStt.builder(clock, user).build())
 *         .tts(FakeTts.builder(clock).build())
 *         .streamingAgent(FakeAgent.builder(clock).reply("It is noon.").build())
 *         .build();
 * session.start();
 * clock.advance(Duration.ofSeconds(5));
 * }</pre>
 */
package io.parley.testing;
