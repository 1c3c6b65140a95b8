package io.parley.providers.deepgram;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay whose live connections can be cut without a websocket close frame,
 * the way a NAT timeout or a network change drops a socket in production.
 */
final class DroppingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    DroppingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
        this.acceptor = new Thread(this::acceptLoop, "dropping-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String baseUrl() {
        return "ws://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException cut) {
                // The connection was cut on purpose or by the peer; the relay for it ends.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "dropping-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes every relayed TCP connection at once. */
    void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException alreadyGone) {
            // Closing a socket that is already closed has nothing left to report.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
