package io.parley.agent.langchain4j;

import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ServerSocketFactory;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An OpenAI-compatible chat completions server on loopback, speaking the wire format of
 * {@code POST /v1/chat/completions} with {@code stream: true}: SSE chunks, tool calls split
 * across chunks, a usage chunk, {@code [DONE]}, and the error bodies. It also notices when the
 * client drops a stream it is still writing (a write to the socket fails).
 */
final class FakeOpenAi implements AutoCloseable {

    final MockWebServer server = new MockWebServer();
    /** Writes that failed because the client had closed the connection. */
    final AtomicInteger brokenWrites = new AtomicInteger();

    FakeOpenAi() throws IOException {
        server.setServerSocketFactory(new WatchingSockets());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    OpenAiStreamingChatModel model(Duration timeout) {
        return OpenAiStreamingChatModel.builder()
                .baseUrl(server.url("/v1").toString())
                .apiKey("test-key")
                .modelName("gpt-test")
                .timeout(timeout)
                .httpClientBuilder(LlmAgents.http11())
                .build();
    }

    void enqueue(MockResponse response) {
        server.enqueue(response);
    }

    /** The next request's JSON body, waiting up to 5 s. */
    String takeBody() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request within 5 s");
        }
        if (!r.getPath().equals("/v1/chat/completions") || !"Bearer test-key".equals(r.getHeader("Authorization"))) {
            throw new AssertionError("unexpected request " + r.getMethod() + " " + r.getPath());
        }
        return r.getBody().readUtf8();
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }

    // ------------------------------------------------------------ wire format

    /** A streamed reply: each event as a {@code data:} line, then {@code data: [DONE]}. */
    static MockResponse sse(List<String> events) {
        StringBuilder body = new StringBuilder();
        for (String e : events) {
            body.append("data: ").append(e).append("\n\n");
        }
        body.append("data: [DONE]\n\n");
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/event-stream")
                .setBody(body.toString());
    }

    /** A text reply streamed as the given tokens, with a stop and a usage chunk. */
    static List<String> textEvents(int promptTokens, String... tokens) {
        List<String> events = new ArrayList<>();
        events.add(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String t : tokens) {
            events.add(chunk("{\"content\":" + json(t) + "}", null));
        }
        events.add(chunk("{}", "stop"));
        events.add(usage(promptTokens, tokens.length));
        return events;
    }

    /** A tool call as OpenAI streams it: id and name once, then argument fragments, then finish. */
    static List<String> toolCallEvents(String id, String name, String... argumentFragments) {
        List<String> events = new ArrayList<>();
        events.add(chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + id
                + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":\"\"}}]}", null));
        for (String f : argumentFragments) {
            events.add(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + json(f) + "}}]}", null));
        }
        events.add(chunk("{}", "tool_calls"));
        events.add(usage(40, 12));
        return events;
    }

    static String chunk(String delta, String finishReason) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}";
    }

    static String usage(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-test\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    /** An error response with OpenAI's error body. */
    static MockResponse error(int status, String type, String code, String message) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody("{\"error\":{\"message\":" + json(message) + ",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                        + (code == null ? "null" : "\"" + code + "\"") + "}}");
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ------------------------------------------------------------ noticing dropped streams

    private final class WatchingSockets extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket s = new WatchedSocket();
                    implAccept(s);
                    return s;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException();
        }
    }

    private final class WatchedSocket extends Socket {
        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        out.write(b, off, len);
                    } catch (IOException e) {
                        brokenWrites.incrementAndGet();
                        throw e;
                    }
                }
            };
        }
    }
}
