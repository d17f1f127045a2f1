package io.dlrgate.gateway.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A main class run in a JVM of its own, on this test JVM's class path, with its output in a log file: for tests
 * that must kill a process for real ({@link #kill()} is SIGKILL: no shutdown hooks, no flushing, no goodbyes).
 */
public final class JvmProcess implements AutoCloseable {

    /**
     * A child inherits ignored signals, and a JVM leaves an ignored SIGHUP or SIGINT ignored (no shutdown, no handler
     * of ours). Maven started under {@code nohup}, or as a background job of a script ({@code &} ignores SIGINT),
     * would then make the signal tests fail for a reason of the caller's: the child gets the default handling back
     * through coreutils' {@code env --default-signal} (it execs, so the pid stays the JVM's), where that exists.
     */
    private static final List<String> RESET_SIGNALS = resetSignals();

    private final Process process;
    private final Path log;

    private static List<String> resetSignals() {
        List<String> prefix = List.of("env", "--default-signal=HUP,INT,TERM");
        try {
            List<String> probe = new ArrayList<>(prefix);
            probe.add("true");
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? prefix : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private JvmProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} on this JVM's class path as it is on disk now. */
    public static JvmProcess start(Class<?> mainClass, List<String> jvmArgs, List<String> args, Path log)
            throws IOException {
        return start(System.getProperty("java.class.path"), mainClass, jvmArgs, args, log);
    }

    /**
     * This JVM's class path with every directory entry (target/classes and the like) copied under {@code into}:
     * a child started later on it does not depend on build output that a concurrent build may be rewriting.
     * Jars are kept where they are.
     */
    public static String snapshotClassPath(Path into) throws IOException {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.isDirectory(source)) {
                out.add(entry);
                continue;
            }
            Path target = into.resolve("cp" + n++);
            try (var walk = Files.walk(source)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path dest = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(dest);
                    } else {
                        Files.copy(p, dest);
                    }
                }
            }
            out.add(target.toString());
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    public static JvmProcess start(String classPath, Class<?> mainClass, List<String> jvmArgs, List<String> args,
                                   Path log) throws IOException {
        return start(RESET_SIGNALS, classPath, mainClass, jvmArgs, args, log);
    }

    /** As {@link #start(String, Class, List, List, Path)}, the java command run through {@code launcher} (e.g. nohup). */
    public static JvmProcess start(List<String> launcher, String classPath, Class<?> mainClass, List<String> jvmArgs,
                                   List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // Hermetic: the child reads only the file it is given.
        pb.environment().keySet().removeIf(k -> k.startsWith("DLRGATE_"));
        return new JvmProcess(pb.start(), log);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits (bounded) for a line of output starting with {@code prefix} and returns it. */
    public String awaitLine(String prefix, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("process exited with " + process.exitValue() + " before printing '"
                        + prefix + "'; output:\n" + tail(40));
            }
            Thread.sleep(50);
        }
        throw new TimeoutException("no '" + prefix + "' within " + timeout + "; output:\n" + tail(40));
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " still alive 20 s after SIGKILL");
        }
    }

    /** The last lines of its output. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
