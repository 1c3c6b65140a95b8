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
 *
 * <p>For concurrency, {@link io.parley.testing.ChaosHarness} runs many randomized sessions on
 * real threads (a {@link io.parley.testing.ScaledClock}) with fakes that answer after random
 * {@link io.parley.testing.Latency latencies}, fail, disconnect and hang, calls the public API
 * from several threads at random, and checks invariants after every session (settling, every
 * turn answered once, nothing after ENDED, nothing left after {@code stop()}, no exception
 * only logged). It is seeded and prints its seed:
 *
 * <pre>{@code
 * ChaosReport report = ChaosHarness.builder().sessions(200).concurrency(100).timeScale(10).build().run();
 * report.assertNoViolations();   // lists violations with seed and session index to replay
 * }</pre>
 */
package io.parley.testing;
