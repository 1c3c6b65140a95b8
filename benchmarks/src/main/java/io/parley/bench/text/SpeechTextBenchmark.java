package io.parley.bench.text;

import io.parley.text.speech.SpeechText;
import io.parley.text.speech.SpeechTextStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of the default speech-text chain (markdown, emoji, English normalization) per streamed
 * chunk: each invocation pushes one LLM-sized token of a reply full of numbers, money, dates,
 * times, units, phone numbers, addresses and markdown; the reply's end flushes. Target: at most
 * 20 µs per chunk.
 *
 * <pre>
 * mvn -q -pl benchmarks exec:exec -Dbench.args="SpeechTextBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpeechTextBenchmark {

    static final String REPLY = "**Sure!** Your order #4521 ships on 2024-03-01 at 9:30 am 🎉. The total is $1,249.99, "
            + "about 15% less than last year. It weighs 2.5 kg and travels 1,200 km. Questions? Call (555) 123-4567 "
            + "or write to support@example.com, or see [our FAQ](https://example.com/faq). We have 3 options:\n"
            + "- **Express:** $25 and 2 days\n- **Standard:** free, 5-7 days\n"
            + "Thanks for being with us since 1999, and have a great 21st birthday on May 10!";

    private final SpeechText chain = SpeechText.defaults(Locale.US);
    private List<String> tokens;
    private SpeechTextStream stream;
    private int next;

    @Setup
    public void setup() {
        tokens = tokens(REPLY);
        stream = chain.stream();
    }

    /** Splits like an LLM tokenizer roughly does: about four characters, a word's leading space kept. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int end = Math.min(text.length(), i + 4);
            if (end < text.length() && Character.isLowSurrogate(text.charAt(end))) {
                end++;
            }
            out.add(text.substring(i, end));
            i = end;
        }
        return out;
    }

    @Benchmark
    public String pushOneChunk() {
        String out = stream.push(tokens.get(next++));
        if (next == tokens.size()) {
            out += stream.flush();
            stream = chain.stream();
            next = 0;
        }
        return out;
    }
}
