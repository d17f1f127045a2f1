package io.dlrgate.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the {@code cert} and {@code key} of a TLS section. A file that is missing or unreadable is a problem at
 * its key and line now, rather than a failed start later with no key to point at. Relative paths are taken
 * from the working directory, like every path the gateway is given.
 */
final class TlsFilesReader {
    static final List<String> KEYS = List.of("cert", "key");

    private final ReadContext ctx;

    TlsFilesReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    /** Both files, or null when either is missing or unusable (the problem is reported). */
    TlsFiles read(ConfigSection s) {
        Path cert = file(s, "cert", "certificate");
        Path key = file(s, "key", "private key");
        return cert == null || key == null ? null : new TlsFiles(cert, key);
    }

    /** A readable file named by {@code key} (required when present), or null with the problem reported. */
    Path file(ConfigSection s, String key, String what) {
        String name = s.string(key, null, true);
        if (name == null) {
            return null;
        }
        int line = s.lineOf(key);
        if (name.isBlank()) {
            ctx.problem(s.keyPath(key), line, "must name the PEM file of the " + what);
            return null;
        }
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            ctx.problem(s.keyPath(key), line, "not a file name: " + e.getMessage());
            return null;
        }
        if (!Files.exists(path)) {
            ctx.problem(s.keyPath(key), line, "no such file: " + path.toAbsolutePath());
            return null;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            ctx.problem(s.keyPath(key), line, "cannot read the " + what + " file " + path.toAbsolutePath()
                    + (Files.isDirectory(path) ? " (a directory)" : " (check its permissions)"));
            return null;
        }
        return path;
    }
}
