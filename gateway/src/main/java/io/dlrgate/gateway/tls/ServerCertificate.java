package io.dlrgate.gateway.tls;

import io.dlrgate.config.TlsFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;

/**
 * A listener's certificate chain and private key, read from its two PEM files and checked to belong together.
 *
 * <p>Checked when read: each file parses, the certificate file has at least one certificate, the key file exactly
 * one unencrypted private key, and the key signs what the first certificate's public key verifies (so a key
 * replaced before its certificate, mid-renewal, is refused instead of failing every handshake). An expired or
 * not-yet-valid certificate is used all the same (the operator may be testing exactly that), and said so.
 *
 * @param chain the listener's certificate first, then intermediates, as in the file
 * @param key   its private key
 * @param files the bytes they were read from: a reload compares them to see whether anything changed
 */
public record ServerCertificate(List<X509Certificate> chain, PrivateKey key, Snapshot files) {

    /**
     * What a reload compares to see whether the files changed: the certificate file as read, the key file only as
     * its SHA-256 digest (no copy of the private key's bytes is kept just for a comparison).
     */
    public record Snapshot(byte[] cert, byte[] keyDigest) {
        boolean sameAs(Snapshot other) {
            return other != null && Arrays.equals(cert, other.cert) && Arrays.equals(keyDigest, other.keyDigest);
        }
    }

    /** The two files' contents at one read, for as long as they are parsed. */
    record FileBytes(byte[] cert, byte[] key) {
        static FileBytes read(TlsFiles files) throws IOException {
            return new FileBytes(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key()));
        }

        Snapshot snapshot() {
            try {
                return new Snapshot(cert, MessageDigest.getInstance("SHA-256").digest(key));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /** Overwrites the key file's bytes once parsed (the parsed key lives on in the key manager). */
        void wipeKey() {
            Arrays.fill(key, (byte) 0);
        }
    }

    public ServerCertificate {
        chain = List.copyOf(chain);
    }

    /** Reads and checks both files; the exception names {@code configKey} and the file at fault. */
    public static ServerCertificate read(String configKey, TlsFiles files) {
        FileBytes bytes;
        try {
            bytes = FileBytes.read(files);
        } catch (IOException e) {
            throw new CertificateFileException(configKey + ": cannot read " + e.getMessage(), e);
        }
        return parse(configKey, files, bytes);
    }

    /** Parses and checks what was read, then wipes the key file's bytes (whether or not they were usable). */
    static ServerCertificate parse(String configKey, TlsFiles files, FileBytes bytes) {
        Snapshot snapshot = bytes.snapshot();
        List<X509Certificate> chain = certificates(configKey + ".cert", files.cert(), bytes.cert());
        PrivateKey key;
        try {
            key = key(configKey, files.key(), bytes.key());
        } finally {
            bytes.wipeKey();
        }
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new CertificateFileException(configKey + ": the private key in " + files.key()
                    + " does not belong to the certificate in " + files.cert() + " (" + describe(chain.get(0))
                    + "); replace both files together");
        }
        return new ServerCertificate(chain, key, snapshot);
    }

    /** The certificates in a PEM file, at least one; the exception names {@code key}, the file's config key. */
    static List<X509Certificate> certificates(String key, Path file, byte[] pem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (PemBlocks.Block b : PemBlocks.parse(pem)) {
                if (b.label().equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new CertificateFileException(key + ": " + file + " holds a certificate that cannot be "
                    + "read: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new CertificateFileException(key + ": no PEM certificate (-----BEGIN CERTIFICATE-----) "
                    + "in " + file);
        }
        return chain;
    }

    private static PrivateKey key(String configKey, Path file, byte[] pem) {
        List<PemBlocks.Block> keys;
        try {
            keys = PemBlocks.parse(pem).stream().filter(b -> PrivateKeys.isKeyLabel(b.label())).toList();
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException(configKey + ".key: " + file + ": " + e.getMessage(), e);
        }
        if (keys.size() != 1) {
            throw new CertificateFileException(configKey + ".key: expected one PEM private key (-----BEGIN PRIVATE "
                    + "KEY-----) in " + file + ", found " + keys.size());
        }
        try {
            return PrivateKeys.of(keys.get(0));
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException(configKey + ".key: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Signs a random block with the key and verifies it with the certificate's public key. */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The listener's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** True when the certificate is outside its validity at {@code now}. */
    public boolean outsideValidity(Instant now) {
        return now.isAfter(leaf().getNotAfter().toInstant()) || now.isBefore(leaf().getNotBefore().toInstant());
    }

    /** For log lines: subject, serial and validity. */
    public String describe() {
        return describe(leaf());
    }

    static String describe(X509Certificate c) {
        return "subject \"" + c.getSubjectX500Principal().getName() + "\", serial " + c.getSerialNumber().toString(16)
                + ", valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant();
    }

    /** A key manager serving this chain: what both Netty's and Vert.x's TLS take. */
    public KeyManagerFactory keyManagerFactory() {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            return kmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateFileException("cannot build a key manager for " + describe() + ": " + e, e);
        }
    }
}
