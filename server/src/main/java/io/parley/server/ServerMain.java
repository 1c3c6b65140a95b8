package io.parley.server;

import io.parley.audio.vad.DspVad;
import io.parley.providers.local.stt.PocketSphinxStt;
import io.parley.providers.local.tts.EspeakTts;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/parley server [--port N] [--data DIR] [--db JDBC_URL]}: runs the service with the
 * offline speech providers (PocketSphinx, espeak-ng) and the offline agent, so no key is needed;
 * with {@code OPENAI_BASE_URL}/{@code OPENAI_API_KEY} (or {@code ANTHROPIC_API_KEY}) set, the
 * agent is agent-langchain4j's LLM agent.
 * {@code --db} takes a PostgreSQL URL (user and password in the URL or in PARLEY_DB_USER and
 * PARLEY_DB_PASSWORD); several processes on one database form a cluster.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ParleyServer.Builder b = ParleyServer.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--port" -> b.port(Integer.parseInt(required(a, v)));
                    case "--data" -> b.dataDir(Path.of(required(a, v)));
                    case "--db" -> b.database(required(a, v), System.getenv("PARLEY_DB_USER"), System.getenv("PARLEY_DB_PASSWORD"));
                    case "--host" -> b.host(required(a, v));
                    case "--public-url" -> b.publicUrl(required(a, v));
                    case "--lease-seconds" -> b.leaseTtl(java.time.Duration.ofSeconds(Long.parseLong(required(a, v))));
                    case "-h", "--help" -> {
                        usage();
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
                i++;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("parley server: " + e.getMessage());
            usage();
            System.exit(2);
        }
        b.speech(new SpeechProviders(PocketSphinxStt.create(), EspeakTts.create(), DspVad.defaults()));
        Optional<AgentFactory> llm = LlmAgentFactory.fromEnvironment(System.getenv());
        llm.ifPresent(b::agent);
        ParleyServer server = b.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-server-shutdown"));
        System.out.println("Parley server (" + (server.postgres() ? "PostgreSQL" : "SQLite") + ", node " + server.nodeId()
                + ") at " + server.url());
        System.out.println("agent: " + (llm.isPresent() ? "a language model from the environment (OPENAI_* or ANTHROPIC_*)"
                : "the offline agent (set OPENAI_BASE_URL/OPENAI_API_KEY or ANTHROPIC_API_KEY for an LLM)"));
        System.out.println("admin token: " + server.adminToken());
        System.out.flush();
        stopped.await();
    }

    private static String required(String option, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static void usage() {
        System.err.println("usage: bin/parley server [--port N] [--data DIR] [--db JDBC_URL] [--host ADDR] "
                + "[--public-url URL] [--lease-seconds N]");
    }
}
