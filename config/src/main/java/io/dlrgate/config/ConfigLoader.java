package io.dlrgate.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link GatewayConfig}: one YAML file, then environment overrides, then validation. Every problem
 * found is reported at once in a {@link ConfigException} naming the file, the key path and what is wrong.
 *
 * <p>Which file: {@link #resolve} takes the {@code --config FILE} option, else the file named by
 * {@code DLRGATE_CONFIG}, else the default {@code dlrgate.yaml} shipped on the classpath.
 *
 * <p>Environment overrides (an unset or empty variable overrides nothing): {@code DLRGATE_DB_URL},
 * {@code DLRGATE_DB_USER}, {@code DLRGATE_DB_PASSWORD}, {@code DLRGATE_DB_READ_URL}, {@code DLRGATE_DB_READ_USER},
 * {@code DLRGATE_DB_READ_PASSWORD}, {@code DLRGATE_SMPP_HOST}, {@code DLRGATE_SMPP_PORT},
 * {@code DLRGATE_SMPP_TLS_PORT},
 * {@code DLRGATE_HTTP_HOST}, {@code DLRGATE_HTTP_PORT}, {@code DLRGATE_API_KEY} and, per carrier,
 * {@code DLRGATE_CARRIER_<ID>_PASSWORD} (see {@link #carrierPasswordVariable}) and
 * {@code DLRGATE_CARRIER_<ID>_CONNECT_PASSWORD} (see {@link #carrierConnectPasswordVariable}).
 *
 * <p>Routing: a prefix may be routed to one carrier only; nested prefixes on different carriers
 * ({@code +44} and {@code +447}) are allowed and the longest match wins ({@link GatewayConfig#route}).
 */
public final class ConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

    /** Classpath resource of the shipped default configuration. */
    public static final String DEFAULT_RESOURCE = "dlrgate.yaml";
    /** The source name problems in the shipped default are reported under. */
    public static final String DEFAULT_SOURCE = "classpath:" + DEFAULT_RESOURCE;

    public static final String ENV_CONFIG = "DLRGATE_CONFIG";
    public static final String ENV_DB_URL = "DLRGATE_DB_URL";
    public static final String ENV_DB_USER = "DLRGATE_DB_USER";
    public static final String ENV_DB_PASSWORD = "DLRGATE_DB_PASSWORD";
    public static final String ENV_DB_READ_URL = "DLRGATE_DB_READ_URL";
    public static final String ENV_DB_READ_USER = "DLRGATE_DB_READ_USER";
    public static final String ENV_DB_READ_PASSWORD = "DLRGATE_DB_READ_PASSWORD";
    public static final String ENV_SMPP_HOST = "DLRGATE_SMPP_HOST";
    public static final String ENV_SMPP_PORT = "DLRGATE_SMPP_PORT";
    /** Overrides {@code smpp.tls.port}; only read when {@code smpp.tls} is configured. */
    public static final String ENV_SMPP_TLS_PORT = "DLRGATE_SMPP_TLS_PORT";
    public static final String ENV_HTTP_HOST = "DLRGATE_HTTP_HOST";
    public static final String ENV_HTTP_PORT = "DLRGATE_HTTP_PORT";
    public static final String ENV_API_KEY = "DLRGATE_API_KEY";

    private ConfigLoader() {
    }

    /**
     * Picks the file by precedence: {@code configOption} (the {@code --config FILE} option) when not null or
     * blank, else the file named by {@code DLRGATE_CONFIG} in {@code env}, else the shipped default.
     */
    public static GatewayConfig resolve(String configOption, Map<String, String> env) {
        return resolve(configOption, env, true);
    }

    /**
     * As {@link #resolve(String, Map)}, for a gateway about to run: unless {@code allowNoCarriers}, a file that is
     * empty (blank, or comments only) or configures no carrier is refused. Such a gateway accepts no bind and
     * routes no send, and an empty file is far more often a truncated or mis-mounted one than a wish.
     */
    public static GatewayConfig resolve(String configOption, Map<String, String> env, boolean allowNoCarriers) {
        Map<String, String> e = env == null ? Map.of() : env;
        if (configOption != null && !configOption.isBlank()) {
            return load(path(configOption.trim(), "--config"), e, allowNoCarriers);
        }
        String fromEnv = e.get(ENV_CONFIG);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return load(path(fromEnv.trim(), ENV_CONFIG), e, allowNoCarriers);
        }
        return loadDefault(e);
    }

    private static Path path(String text, String from) {
        try {
            return Path.of(text);
        } catch (InvalidPathException ex) {
            throw new ConfigException(text, "", "not a valid file path (given by " + from + "): " + ex.getReason());
        }
    }

    /** Loads a YAML file; problems are reported under the file's name as given. */
    public static GatewayConfig load(Path file, Map<String, String> env) {
        return load(file, env, true);
    }

    /** As {@link #load(Path, Map)}; see {@link #resolve(String, Map, boolean)} for {@code allowNoCarriers}. */
    public static GatewayConfig load(Path file, Map<String, String> env, boolean allowNoCarriers) {
        String source = file.toString();
        String yaml;
        try {
            yaml = decode(Files.readAllBytes(file));
        } catch (NoSuchFileException ex) {
            throw new ConfigException(source, "", "cannot read the configuration file: no such file");
        } catch (AccessDeniedException ex) {
            throw new ConfigException(source, "", "cannot read the configuration file: permission denied");
        } catch (CharacterCodingException ex) {
            throw new ConfigException(source, "", "cannot read the configuration file: it is not UTF-8 text");
        } catch (IOException ex) {
            String reason = Files.isDirectory(file) ? "it is a directory" : String.valueOf(ex.getMessage());
            throw new ConfigException(source, "", "cannot read the configuration file: " + reason);
        }
        if (!allowNoCarriers && isEmpty(yaml)) {
            // checked before parsing: whitespace that is not YAML (a lone tab) is still an empty file
            throw new ConfigException(source, "", "the configuration file is empty (nothing but blanks or "
                    + "comments) - truncated, or the wrong file?" + NO_CARRIERS_HINT);
        }
        GatewayConfig config = fromYaml(yaml, source, env);
        if (!allowNoCarriers && config.carriers().isEmpty()) {
            throw new ConfigException(source, "carriers", "no carrier is configured" + NO_CARRIERS_HINT);
        }
        log.info("configuration loaded from {} ({} carriers)", source, config.carriers().size());
        return config;
    }

    /** Loads the shipped default {@code dlrgate.yaml} from the classpath, with environment overrides. */
    public static GatewayConfig loadDefault(Map<String, String> env) {
        GatewayConfig config = fromYaml(defaultYaml(), DEFAULT_SOURCE, env);
        log.info("configuration loaded from the shipped default ({} carriers)", config.carriers().size());
        return config;
    }

    /** The text of the shipped default {@code dlrgate.yaml}, e.g. for a user to copy and edit. */
    public static String defaultYaml() {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read " + DEFAULT_RESOURCE + " from the classpath", ex);
        }
    }

    /**
     * Reads a configuration from YAML text. Absent keys take their defaults ({@code ""} is a valid, carrier-less
     * configuration).
     *
     * @param yaml       the YAML text
     * @param sourceName how problems name the text, e.g. the file name
     * @param env        environment variables (overrides); null counts as empty
     * @throws ConfigException listing every problem found
     */
    public static GatewayConfig fromYaml(String yaml, String sourceName, Map<String, String> env) {
        return new ConfigReader(sourceName == null ? "<yaml>" : sourceName, env).read(yaml == null ? "" : yaml);
    }

    /**
     * The environment variable that overrides a carrier's password: {@code DLRGATE_CARRIER_<ID>_PASSWORD} with
     * the id upper-cased and every character other than A-Z and 0-9 written as {@code _}
     * ({@code my-carrier.eu} gives {@code DLRGATE_CARRIER_MY_CARRIER_EU_PASSWORD}).
     */
    public static String carrierPasswordVariable(String carrierId) {
        return "DLRGATE_CARRIER_" + carrierId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_PASSWORD";
    }

    /**
     * The environment variable that overrides the password a carrier's {@code connect} block binds out with:
     * {@code DLRGATE_CARRIER_<ID>_CONNECT_PASSWORD}. A carrier that only binds out also takes
     * {@link #carrierPasswordVariable}.
     */
    public static String carrierConnectPasswordVariable(String carrierId) {
        return carrierPasswordVariable(carrierId).replaceFirst("_PASSWORD$", "_CONNECT_PASSWORD");
    }

    private static final String NO_CARRIERS_HINT = "; a gateway without carriers accepts no bind and routes no "
            + "send (start with --allow-no-carriers if that is really wanted)";

    private static boolean isEmpty(String yaml) {
        return yaml.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#") || l.equals("---"));
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text; // a byte order mark is not content
    }
}
