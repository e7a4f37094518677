package dev.berth.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** A registry in its own JVM, so a test can kill it with SIGKILL mid-request. */
final class RegistryProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private RegistryProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The child's entry point: serve {@code args[0]} on a free port and print the URL. */
    public static void main(String[] args) throws Exception {
        RegistryConfig config = RegistryConfig.defaults(Path.of(args[0])).withListen("127.0.0.1", 0)
                .withGc(Duration.ZERO, Duration.ofHours(1)).withAccessLog(false);
        RegistryServer server = RegistryServer.start(config);
        System.out.println(server.url());
        System.out.flush();
        server.join();
    }

    static RegistryProcess start(Path root) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", RegistryProcess.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("http://")) {
            process.destroyForcibly();
            throw new IOException("the registry process did not start: " + line);
        }
        return new RegistryProcess(process, line.strip());
    }

    String url() {
        return url;
    }

    /** SIGKILL: no shutdown hook, no flush, no cleanup. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
