package io.parley.session.io;

import io.parley.audio.AudioFormat;
import io.parley.audio.AudioFrame;
import io.parley.session.AudioListener;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what the agent said and what the user said to PCM16 WAV files, one file per side,
 * aligned in time: both start at the first frame either side produced, gaps become silence, and
 * agent audio the user never heard (cut by a barge-in) is removed. Register it with
 * {@code VoiceSession.Builder.audioListener(..)} and close it after {@code stop()}:
 *
 * <pre>{@code
 * try (WavRecorder wav = WavRecorder.builder().agent(Path.of("agent.wav")).user(Path.of("user.wav")).build()) {
 *     VoiceSession session = VoiceSession.builder()...audioListener(wav).build();
 *     ...
 *     session.stop();
 * }
 * }</pre>
 *
 * <p>The headers are rewritten every second of audio, so a file stays readable if the process
 * dies. A write error stops that file and is thrown by {@link #close()}, never dropped.
 */
public final class WavRecorder implements AudioListener, AutoCloseable {

    private final Track agent;
    private final Track user;
    private long originNanos = Long.MIN_VALUE;
    private IOException failure;

    private WavRecorder(Path agentPath, Path userPath) {
        this.agent = agentPath == null ? null : new Track(agentPath);
        this.user = userPath == null ? null : new Track(userPath);
    }

    /** Starts a recorder description; name at least one file. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void onUserAudio(AudioFrame frame) {
        write(user, frame);
    }

    @Override
    public synchronized void onAgentAudio(AudioFrame frame) {
        write(agent, frame);
    }

    @Override
    public synchronized void onAgentAudioCleared(long atNanos) {
        if (agent != null && agent.file != null && originNanos != Long.MIN_VALUE) {
            try {
                agent.truncateTo(atNanos - originNanos);
            } catch (IOException e) {
                fail(agent, e);
            }
        }
    }

    private void write(Track track, AudioFrame frame) {
        if (track == null || track.failed) {
            return;
        }
        if (originNanos == Long.MIN_VALUE) {
            originNanos = frame.timestampNanos();
        }
        try {
            track.write(frame, frame.timestampNanos() - originNanos);
        } catch (IOException e) {
            fail(track, e);
        }
    }

    private void fail(Track track, IOException e) {
        track.failed = true;
        if (failure == null) {
            failure = e;
        } else {
            failure.addSuppressed(e);
        }
    }

    /**
     * Finishes both files (final headers) and closes them.
     *
     * @throws IOException the first write error any file met, or the error closing them
     */
    @Override
    public synchronized void close() throws IOException {
        for (Track t : new Track[] {agent, user}) {
            if (t != null) {
                try {
                    t.close();
                } catch (IOException e) {
                    fail(t, e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One WAV file, written at the position its frames' times say. */
    private static final class Track {
        private static final int HEADER = 44;

        private final Path path;
        private RandomAccessFile file;
        private AudioFormat format;
        private byte[] bytes = new byte[0];
        private long samplesWritten;
        private long samplesAtLastHeader;
        private boolean failed;

        Track(Path path) {
            this.path = path;
        }

        void write(AudioFrame frame, long offsetNanos) throws IOException {
            if (file == null) {
                format = frame.format();
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                file = new RandomAccessFile(path.toFile(), "rw");
                file.setLength(0);
                writeHeader();
            } else if (!frame.format().equals(format)) {
                throw new IOException(path + ": audio changed format from " + format + " to " + frame.format());
            }
            long at = Math.max(0, format.samplesForNanos(offsetNanos));
            if (at > samplesWritten) {
                // A gap (the agent was silent, or frames arrived late): fill it with silence.
                writeSilence(at - samplesWritten);
            }
            int n = frame.length();
            if (bytes.length < 2 * n) {
                bytes = new byte[2 * n];
            }
            frame.writePcm16le(bytes, 0);
            file.seek(HEADER + 2 * samplesWritten);
            file.write(bytes, 0, 2 * n);
            samplesWritten += n;
            if (samplesWritten - samplesAtLastHeader >= format.samplesFor(1000)) {
                writeHeader();
            }
        }

        void truncateTo(long offsetNanos) throws IOException {
            long at = Math.max(0, format.samplesForNanos(offsetNanos));
            if (at < samplesWritten) {
                samplesWritten = at;
                file.setLength(HEADER + 2 * at);
                writeHeader();
            }
        }

        private void writeSilence(long samples) throws IOException {
            file.seek(HEADER + 2 * samplesWritten);
            byte[] zeros = new byte[(int) Math.min(2 * samples, 64 * 1024)];
            long left = 2 * samples;
            while (left > 0) {
                int n = (int) Math.min(left, zeros.length);
                file.write(zeros, 0, n);
                left -= n;
            }
            samplesWritten += samples;
        }

        private void writeHeader() throws IOException {
            AudioFormat f = format;
            long data = 2 * samplesWritten;
            ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) Math.min(0xFFFFFFFFL, 36 + data))
                    .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                    .putShort((short) 1).putShort((short) f.channels()).putInt(f.sampleRate())
                    .putInt(f.sampleRate() * f.channels() * 2).putShort((short) (f.channels() * 2)).putShort((short) 16)
                    .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) Math.min(0xFFFFFFFFL, data));
            file.seek(0);
            file.write(h.array());
            samplesAtLastHeader = samplesWritten;
        }

        void close() throws IOException {
            if (file != null) {
                try {
                    if (!failed) {
                        writeHeader();
                    }
                } finally {
                    file.close();
                    file = null;
                }
            }
        }
    }

    /** Names the files; at least one. */
    public static final class Builder {
        private Path agent;
        private Path user;

        private Builder() {
        }

        /** Where the agent's side goes. */
        public Builder agent(Path path) {
            if (path == null) {
                throw new IllegalArgumentException("agent path must not be null");
            }
            this.agent = path;
            return this;
        }

        /** Where the user's side goes. */
        public Builder user(Path path) {
            if (path == null) {
                throw new IllegalArgumentException("user path must not be null");
            }
            this.user = path;
            return this;
        }

        /**
         * The recorder; files are created when their first audio arrives.
         *
         * @throws IllegalArgumentException if neither file was named
         */
        public WavRecorder build() {
            if (agent == null && user == null) {
                throw new IllegalArgumentException("name at least one file: agent(path) or user(path)");
            }
            return new WavRecorder(agent, user);
        }
    }
}
