package io.parley.recording.playback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.recording.EventType;
import io.parley.testing.VirtualClock;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.TestConversations;
import io.parley.recording.store.FileRecordingStore;
import io.parley.testing.InMemoryTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingPlayerTest {

    @TempDir
    Path dir;

    Recording rec;

    /** Collects what a player delivers, noting how much audio had arrived when each event came. */
    static final class Collector implements PlaybackSink {
        long audioFrames;
        long agentFrames;
        final List<RecordingEvent> events = new ArrayList<>();
        final List<Duration> eventPositions = new ArrayList<>();
        final List<Long> audioAtEvent = new ArrayList<>();
        boolean finished;

        @Override
        public void onAudio(AudioFrame stereo, Duration position) {
            assertThat(position.toNanos() * 16_000 / 1_000_000_000L).isEqualTo(audioFrames);
            for (int i = 0; i < stereo.samplesPerChannel(); i++) {
                if (stereo.samples()[2 * i + 1] != 0) {
                    agentFrames++;
                }
            }
            audioFrames += stereo.samplesPerChannel();
        }

        @Override
        public void onEvent(RecordingEvent event, Duration position) {
            events.add(event);
            eventPositions.add(position);
            audioAtEvent.add(audioFrames);
        }

        @Override
        public void onFinished() {
            finished = true;
        }
    }

    @BeforeEach
    void record() {
        rec = TestConversations.record(FileRecordingStore.open(dir), new VirtualClock(Instant.parse("2025-11-08T15:45:00Z")), "call");
    }

    @Test
    void replaysInRealTimeWithEventsInStepWithTheAudio() {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Collector c = new Collector();
        RecordingPlayer p = RecordingPlayer.builder(rec).clock(clock).sink(c).build();
        assertThat(p.length()).isEqualTo(Duration.ofMillis(4300));
        p.play();
        clock.advance(Duration.ofMillis(1000));
        assertThat(p.state()).isEqualTo(PlayerState.PLAYING);
        assertThat(c.audioFrames).isEqualTo(16 * 1000);
        assertThat(c.events).extracting(RecordingEvent::type).doesNotContain(EventType.USER_MESSAGE);
        clock.advance(Duration.ofMillis(300));
        assertThat(c.events).extracting(RecordingEvent::content).contains("How do I implement OAuth2");
        for (int i = 0; i < c.events.size(); i++) {
            assertThat(c.audioAtEvent.get(i)).isEqualTo(c.eventPositions.get(i).toNanos() * 16_000 / 1_000_000_000L);
        }
        clock.advance(Duration.ofSeconds(10));
        assertThat(p.state()).isEqualTo(PlayerState.FINISHED);
        assertThat(c.finished).isTrue();
        assertThat(c.audioFrames).isEqualTo(16 * 4300);
        assertThat(c.events).hasSameSizeAs(rec.events());
        assertThat(c.agentFrames).isEqualTo(16 * 1600);
    }

    @Test
    void pauseSeekResumeAndStop() {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Collector c = new Collector();
        RecordingPlayer p = RecordingPlayer.builder(rec).clock(clock).sink(c).build();
        p.play();
        clock.advance(Duration.ofMillis(500));
        p.pause();
        assertThat(p.position()).isEqualTo(Duration.ofMillis(500));
        long frames = c.audioFrames;
        clock.advance(Duration.ofSeconds(5));
        assertThat(c.audioFrames).isEqualTo(frames);
        assertThatThrownBy(p::pause).isInstanceOf(IllegalStateException.class);

        c.audioFrames = 16 * 3200;
        p.seek(Duration.ofMillis(3200));
        int before = c.events.size();
        p.resume();
        clock.advance(Duration.ofMillis(20));
        assertThat(c.eventPositions.subList(before, c.events.size())).allSatisfy(
                d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMillis(3200)));
        assertThat(c.events.subList(before, c.events.size())).filteredOn(e -> e.type() == EventType.USER_MESSAGE)
                .extracting(RecordingEvent::content).containsExactly("Show me token refresh");
        assertThat(c.events).extracting(RecordingEvent::content).doesNotContain("OAuth2 is an authorization framework.");
        assertThat(p.position()).isEqualTo(Duration.ofMillis(3220));
        p.stop();
        assertThat(p.state()).isEqualTo(PlayerState.STOPPED);
        assertThat(p.position()).isZero();
        assertThatThrownBy(() -> p.seek(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jumpsToATag() {
        FileRecordingStore store = FileRecordingStore.open(dir);
        io.parley.recording.store.TagMark tag = store.findTag("call", "found-solution").orElseThrow();
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Collector c = new Collector();
        RecordingPlayer p = RecordingPlayer.builder(rec).clock(clock).sink(c).build();
        p.seek(tag.audioOffset());
        c.audioFrames = tag.audioOffset().toNanos() * 16_000 / 1_000_000_000L;
        p.play();
        clock.advance(Duration.ofMillis(20));
        assertThat(c.events.get(0).type()).isEqualTo(EventType.TAG);
        assertThat(c.events.get(0).content()).isEqualTo("found-solution");
    }

    @Test
    void fasterPaceDeliversMoreAudioPerSecond() {
        VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));
        Collector c = new Collector();
        RecordingPlayer p = RecordingPlayer.builder(rec).clock(clock).sink(c).speed(4).build();
        p.play();
        clock.advance(Duration.ofMillis(500));
        assertThat(c.audioFrames).isEqualTo(16 * 2000);
        clock.advance(Duration.ofMillis(600));
        assertThat(p.state()).isEqualTo(PlayerState.FINISHED);
        assertThat(c.events).hasSameSizeAs(rec.events());
        assertThatThrownBy(() -> RecordingPlayer.builder(rec).speed(0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void playsIntoATransportMixedToItsFormat() {
        VirtualClock clock = new VirtualClock();
        InMemoryTransport transport = InMemoryTransport.builder(clock).outputFormat(AudioFormat.PCM_24K_MONO).build();
        Collector c = new Collector();
        RecordingPlayer p = RecordingPlayer.builder(rec).clock(clock).sink(c).transport(transport).build();
        p.play();
        clock.advance(Duration.ofSeconds(5));
        assertThat(p.state()).isEqualTo(PlayerState.FINISHED);
        assertThat(transport.sentDuration().toMillis()).isBetween(4290L, 4310L);
        long loud = transport.sent().stream().filter(f -> f.samples().length > 0 && f.samples()[0] == 3000).count();
        assertThat(loud).as("frames where user and agent overlap mix to 1000 + 2000").isPositive();
        assertThat(c.events).hasSameSizeAs(rec.events());
        p.close();
        assertThat(transport.closed()).isTrue();
    }
}
