package io.parley.bench.telephony;

import io.parley.transport.websocket.MessageSocket;

/** A socket that only counts what the transport sends; the benchmarks measure the transport, not a network. */
final class CountingSocket implements MessageSocket {

    long texts;
    long binaries;
    long chars;

    @Override
    public void sendText(String text) {
        texts++;
        chars += text.length();
    }

    @Override
    public void sendBinary(byte[] bytes, int length) {
        binaries++;
        chars += length;
    }

    @Override
    public void close(int status, String reason) {
    }
}
