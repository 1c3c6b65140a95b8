package io.parley.transport.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WHIP server over HTTPS with a PKCS#12 keystore, as other devices' browsers need it; its threads and binding. */
class WhipTlsTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithAKeystoreAndRefusesAnUnusableOne() throws Exception {
        Path keystore = dir.resolve("server.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "parley", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(new String(keytool.getInputStream().readAllBytes())).isZero();

        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
             WhipServer server = WhipServer.builder().tls(keystore, password)
                     .whip(WhipHandler.builder().engine(engine).bearerToken("t").onSession(t -> { }).build()).start()) {
            assertThat(server.baseUri().getScheme()).isEqualTo("https");
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trusted.load(in, password);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(client).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> res = https.send(HttpRequest.newBuilder(server.whipUri()).timeout(Duration.ofSeconds(10))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(204);
            assertThat(res.headers().firstValue("Accept-Post")).contains("application/sdp");
            assertThat(https.send(HttpRequest.newBuilder(server.whipUri()).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("v=0")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
        }
        assertThatThrownBy(() -> WhipServer.builder().tls(keystore, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server.p12");
    }

    @Test
    void oneRequestThreadServesAndATakenPortIsAClearError() throws Exception {
        try (WebRtcEngine engine = WebRtcEngine.start(WebRtcConfig.defaults());
             WhipServer server = WhipServer.builder().threads(1)
                     .whip(WhipHandler.builder().engine(engine).bearerToken("t").onSession(t -> { }).build()).start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(HttpRequest.newBuilder(server.whipUri()).timeout(Duration.ofSeconds(10))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(204);
            }
            WhipServer.Builder sameAddress = WhipServer.builder()
                    .address(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()))
                    .whip(server.whipHandler());
            assertThatThrownBy(sameAddress::start).isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("could not bind the WHIP server").hasMessageContaining(String.valueOf(server.port()));
        }
    }
}
