package io.parley.providers.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Plain sockets with Nagle's algorithm off. Provider protocols send small control messages
 * back to back (Speak then Flush, the first message then text); with Nagle on, the second waits
 * for the peer's delayed ACK, about 40 ms on Linux, which is pure added latency for a voice turn.
 */
public final class NoDelaySocketFactory extends SocketFactory {

    private final SocketFactory delegate = SocketFactory.getDefault();

    private static Socket noDelay(Socket s) throws SocketException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return noDelay(delegate.createSocket(address, port, localAddress, localPort));
    }
}
