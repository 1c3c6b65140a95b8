package io.parley.transport.webrtc;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mounts a {@link WhipHandler} on Javalin, the project's one embedded HTTP server: an
 * application that already runs Javalin installs the WHIP endpoint and its session resources
 * next to its own routes, and {@link WhipServer} uses the same routes on a Javalin of its own.
 *
 * <pre>{@code
 * Javalin app = Javalin.create(config -> {
 *     WhipRoutes.install(config, whip);              // POST /whip, PATCH/DELETE /whip/{id}, OPTIONS
 *     config.routes.get("/", ctx -> ctx.html(page));
 * }).start(8080);
 * }</pre>
 *
 * <p>Every method reaches the handler, so clients get its answers (405 with {@code Allow},
 * 401, 404) rather than the router's. Bodies are read up to {@link WhipHandler#maxBodyBytes()}
 * plus one byte, so an oversized offer costs no more than that and is answered 413. Responses
 * carry {@code Cache-Control: no-store}.
 */
public final class WhipRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(WhipRoutes.class);

    /** The methods routed to the handler; it answers those it does not serve with 405. */
    private static final List<HandlerType> METHODS = List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.OPTIONS);

    /** Oversized bodies up to this size are read to the end so the client gets its 413 instead of a reset. */
    private static final long MAX_DRAIN_BYTES = 1 << 20;

    private WhipRoutes() {
    }

    /**
     * Adds {@code handler}'s endpoint ({@link WhipHandler#endpointPath()}) and its session
     * resources below it to a Javalin being configured.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public static void install(JavalinConfig config, WhipHandler handler) {
        Checks.notNull(config, "config");
        Checks.notNull(handler, "handler");
        Handler serve = ctx -> serve(ctx, handler);
        String endpoint = handler.endpointPath();
        for (HandlerType method : METHODS) {
            config.routes.addHttpHandler(method, endpoint, serve);
            config.routes.addHttpHandler(method, endpoint + "/{resource}", serve);
        }
    }

    /**
     * Writes a handler's answer to a Javalin response: status, headers, content type and body,
     * with {@code Cache-Control: no-store}. For applications that route WHIP requests
     * themselves (their own paths and authentication) and call {@link WhipHandler#handle}.
     *
     * @throws IllegalArgumentException if an argument is null
     */
    public static void respond(Context ctx, WhipResponse response) {
        Checks.notNull(ctx, "ctx");
        Checks.notNull(response, "response");
        ctx.status(response.status());
        String contextPath = ctx.req().getContextPath();
        response.headers().forEach((name, value) -> {
            // The handler's Location is relative to the application root; the client needs it under the context path.
            boolean location = name.equalsIgnoreCase("Location") && value.startsWith("/");
            ctx.header(name, location ? contextPath + value : value);
        });
        if (response.contentType() != null) {
            ctx.contentType(response.contentType());
        }
        ctx.header("Cache-Control", "no-store");
        ctx.result(response.body());
    }

    private static void serve(Context ctx, WhipHandler handler) throws IOException {
        InputStream in = ctx.bodyInputStream();
        byte[] body = readBounded(in, handler.maxBodyBytes() + 1);
        if (body.length > handler.maxBodyBytes()) {
            drain(in, MAX_DRAIN_BYTES);
        }
        String path = ctx.path().substring(ctx.req().getContextPath().length());
        WhipRequest request = new WhipRequest(ctx.req().getMethod().toUpperCase(Locale.ROOT), path, ctx.headerMap(), body);
        WhipResponse response;
        try {
            response = handler.handle(request);
        } catch (RuntimeException e) {
            LOG.error("WHIP {} {} failed", request.method(), path, e);
            throw e;
        }
        respond(ctx, response);
    }

    private static void drain(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int r;
        while (total < limit && (r = in.read(buf)) >= 0) {
            total += r;
        }
    }

    /** Reads at most {@code limit} bytes, so an oversized body costs no more than that. */
    static byte[] readBounded(InputStream in, int limit) throws IOException {
        Objects.requireNonNull(in, "in");
        byte[] buf = new byte[Math.min(limit, 8192)];
        int len = 0;
        while (len < limit) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
            }
            int r = in.read(buf, len, buf.length - len);
            if (r < 0) {
                break;
            }
            len += r;
        }
        return Arrays.copyOf(buf, len);
    }
}
