package io.dlrgate.gateway.tls;

import io.dlrgate.config.SmppTlsConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslHandler;
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
     * Client certificates (mutual TLS): asked for or required, from the CAs of a PEM file. A certificate only
     * admits the connection: the carrier is still the one its bind names, with its password.
     *
     * @param auth    none, optional or required
     * @param trusted the CAs a client's certificate must come from (empty with {@code NONE})
     */
    public record ClientCertificates(ClientAuth auth, List<X509Certificate> trusted) {
        public static final ClientCertificates NONE = new ClientCertificates(ClientAuth.NONE, List.of());
    }

    private final ReloadingCertificate certificate;
    /** {@code smpp.tls.client_ca}, read again when it changes or on SIGHUP; null without client certificates. */
    private final ReloadingTrust clientCa;
    // Written under this (a certificate reload and a trust reload may come on different threads); read per connection.
    private volatile ClientCertificates clients;
    private volatile SslContext context;

    /** Follows the certificate's reloads from now on; no client certificates. */
    public NettyServerTls(ReloadingCertificate certificate) {
        this.certificate = certificate;
        this.clients = ClientCertificates.NONE;
        this.clientCa = null;
        this.context = build(certificate.current(), clients);
        certificate.onChange(this::certificateChanged);
    }

    /**
     * From {@code smpp.tls}: follows the certificate's reloads and, with client certificates, those of its
     * {@code client_ca} (read now; CertificateFileException when it cannot be used). Connections already open keep
     * what they were made with.
     */
    public NettyServerTls(ReloadingCertificate certificate, SmppTlsConfig tls) {
        this.certificate = certificate;
        this.clients = ClientCertificates.NONE;
        if (tls.clientAuth() == SmppTlsConfig.ClientAuth.NONE) {
            this.clientCa = null;
            this.context = build(certificate.current(), clients);
        } else {
            ClientAuth auth = tls.clientAuth() == SmppTlsConfig.ClientAuth.REQUIRED ? ClientAuth.REQUIRE
                    : ClientAuth.OPTIONAL;
            // The first read builds the context; a later one that cannot be built throws, and the old CAs stay.
            this.clientCa = ReloadingTrust.load("smpp.tls.client_ca", tls.clientCa(),
                    trusted -> trustChanged(new ClientCertificates(auth, trusted)));
        }
        certificate.onChange(this::certificateChanged);
    }

    private synchronized void certificateChanged(ServerCertificate c) {
        context = build(c, clients);
    }

    private synchronized void trustChanged(ClientCertificates next) {
        context = build(certificate.current(), next);
        clients = next;
    }

    private static SslContext build(ServerCertificate c, ClientCertificates clients) {
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

    /** The files to read again when they change: the certificate, and the client CAs when there are any. */
    public List<Reloadable> files() {
        return clientCa == null ? List.of(certificate) : List.of(certificate, clientCa);
    }
}
