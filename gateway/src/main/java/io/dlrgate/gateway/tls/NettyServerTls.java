package io.dlrgate.gateway.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS for a Netty listener: an {@link SslHandler} per accepted connection, made from the
 * certificate current at that moment (so a reload reaches new connections only). JDK provider: no native library
 * to ship, and the figures for SMPP's small PDUs do not need more.
 */
public final class NettyServerTls {

    private final ReloadingCertificate certificate;
    private volatile SslContext context;

    /** Follows the certificate's reloads from now on. */
    public NettyServerTls(ReloadingCertificate certificate) {
        this.certificate = certificate;
        this.context = build(certificate.current());
        certificate.onChange(c -> context = build(c));
    }

    private static SslContext build(ServerCertificate c) {
        try {
            return SslContextBuilder.forServer(c.keyManagerFactory()).sslProvider(SslProvider.JDK).build();
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
