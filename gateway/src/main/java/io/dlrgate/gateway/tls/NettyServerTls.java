package io.dlrgate.gateway.tls;

import io.dlrgate.config.SmppTlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS for a Netty listener: an {@link SslHandler} per accepted connection, made from the
 * certificate current at that moment (so a reload reaches new connections only). JDK provider: no native library
 * to ship, and the figures for SMPP's small PDUs do not need more.
 */
public final class NettyServerTls {

    /**
     * Client certificates (mutual TLS): asked for or required, from the CAs in a PEM file read at start. A
     * certificate only admits the connection: the carrier is still the one its bind names, with its password.
     *
     * @param auth    none, optional or required
     * @param trusted the CAs a client's certificate must come from (empty with {@code NONE})
     */
    public record ClientCertificates(ClientAuth auth, List<X509Certificate> trusted) {
        public static final ClientCertificates NONE = new ClientCertificates(ClientAuth.NONE, List.of());

        /** From {@code smpp.tls}: its client_ca read now (CertificateFileException when it cannot be used). */
        public static ClientCertificates of(SmppTlsConfig tls) {
            if (tls.clientAuth() == SmppTlsConfig.ClientAuth.NONE) {
                return NONE;
            }
            byte[] pem;
            try {
                pem = Files.readAllBytes(tls.clientCa());
            } catch (IOException e) {
                throw new CertificateFileException("smpp.tls.client_ca: cannot read " + e.getMessage(), e);
            }
            return new ClientCertificates(tls.clientAuth() == SmppTlsConfig.ClientAuth.REQUIRED ? ClientAuth.REQUIRE
                    : ClientAuth.OPTIONAL, ServerCertificate.certificates("smpp.tls.client_ca", tls.clientCa(), pem));
        }
    }

    private final ReloadingCertificate certificate;
    private final ClientCertificates clients;
    private volatile SslContext context;

    /** Follows the certificate's reloads from now on; no client certificates. */
    public NettyServerTls(ReloadingCertificate certificate) {
        this(certificate, ClientCertificates.NONE);
    }

    /** Follows the certificate's reloads from now on. */
    public NettyServerTls(ReloadingCertificate certificate, ClientCertificates clients) {
        this.certificate = certificate;
        this.clients = clients;
        this.context = build(certificate.current());
        certificate.onChange(c -> context = build(c));
    }

    private SslContext build(ServerCertificate c) {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(c.keyManagerFactory()).sslProvider(SslProvider.JDK);
            if (clients.auth() != ClientAuth.NONE) {
                b.clientAuth(clients.auth()).trustManager(clients.trusted());
            }
            return b.build();
        } catch (SSLException e) {
            throw new CertificateFileException("cannot set up TLS with " + c.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A handler for one accepted connection.
     *
     * @param handshakeTimeoutMillis the handshake is failed (and the connection closed) after this long
     */
    public SslHandler newHandler(ByteBufAllocator alloc, long handshakeTimeoutMillis) {
        SslHandler handler = context.newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    public ReloadingCertificate certificate() {
        return certificate;
    }
}
