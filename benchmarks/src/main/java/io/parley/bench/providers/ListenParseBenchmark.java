package io.parley.bench.providers;

import io.parley.providers.deepgram.wire.ListenEvent;
import io.parley.providers.deepgram.wire.ListenEventParser;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * CPU cost of decoding one Deepgram {@code Results} message, the message a live stream
 * receives about once a second per session (more with interim results).
 *
 * <ul>
 *   <li>{@code realSample}: the documented final result, two words, with its metadata block.</li>
 *   <li>{@code twentyWords}: the same shape with 20 diarized words, a long utterance.</li>
 * </ul>
 *
 * Run: {@code mvn -q -pl benchmarks exec:exec -Dbench.args="ListenParseBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s"}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class ListenParseBenchmark {

    static final String REAL = "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.98,\"start\":5.99,\"is_final\":true,"
            + "\"speech_final\":true,\"channel\":{\"alternatives\":[{\"transcript\":\"Tell me more about this.\",\"confidence\":0.99964225,"
            + "\"words\":[{\"word\":\"tell\",\"start\":6.0699997,\"end\":6.3499994,\"confidence\":0.99782443,\"punctuated_word\":\"Tell\"},"
            + "{\"word\":\"me\",\"start\":6.3499994,\"end\":6.6299996,\"confidence\":0.9998324,\"punctuated_word\":\"me\"}]}]},"
            + "\"metadata\":{\"request_id\":\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\","
            + "\"version\":\"2024-01-18.26916\",\"arch\":\"nova-2\"},\"model_uuid\":\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},\"from_finalize\":false}";

    static final String TWENTY = buildTwentyWords();

    private final ListenEventParser parser = new ListenEventParser();

    private static String buildTwentyWords() {
        StringBuilder w = new StringBuilder();
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            double s = 1.0 + i * 0.31;
            if (i > 0) {
                w.append(',');
                t.append(' ');
            }
            w.append("{\"word\":\"word").append(i).append("\",\"start\":").append(s).append(",\"end\":").append(s + 0.29)
                    .append(",\"confidence\":0.9721591,\"speaker\":").append(i % 2).append(",\"punctuated_word\":\"Word").append(i).append("\"}");
            t.append("Word").append(i);
        }
        return "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":6.4,\"start\":1.0,\"is_final\":true,\"speech_final\":true,"
                + "\"channel\":{\"alternatives\":[{\"transcript\":\"" + t + "\",\"confidence\":0.98,\"words\":[" + w + "]}]},"
                + "\"metadata\":{\"request_id\":\"52cc0efe-fa77-4aa7-b79c-0dda09de2f14\",\"model_info\":{\"name\":\"2-general-nova\","
                + "\"version\":\"2024-01-18.26916\",\"arch\":\"nova-2\"},\"model_uuid\":\"c0d1a568-ce81-4fea-97e7-bd45cb1fdf3c\"},"
                + "\"from_finalize\":false}";
    }

    @Benchmark
    public ListenEvent realSample() {
        return parser.parse(REAL);
    }

    @Benchmark
    public ListenEvent twentyWords() {
        return parser.parse(TWENTY);
    }
}
