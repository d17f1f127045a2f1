package io.dlrgate.config;

import io.dlrgate.config.ConfigException.Problem;
import io.dlrgate.config.yaml.YamlTree;
import io.dlrgate.config.yaml.YamlTree.Node;

import java.util.List;
import java.util.Map;

/**
 * Reads one YAML text plus the environment into a {@link GatewayConfig}, collecting every problem on the way
 * and throwing them together at the end. One instance per load. Each top-level section has its reader
 * ({@link SmppSectionReader}, {@link CarriersSectionReader}, ...); this class composes them and checks what
 * spans sections.
 */
final class ConfigReader {

    static final List<String> TOP_KEYS = List.of("smpp", "http", "database", "dispatch", "receipts", "expiry",
            "carriers", "auth", "bounces", "send", "webhooks", "replies", "cluster", "retention");

    private final String source;
    private final ReadContext ctx;

    ConfigReader(String source, Map<String, String> env) {
        this.source = source;
        this.ctx = new ReadContext(source, env);
    }

    GatewayConfig read(String yaml) {
        Node root;
        try {
            root = YamlTree.parse(yaml, (path, key, line, firstLine) ->
                    ctx.problem(path, line, "duplicate key \"" + key + "\" (first given on line " + firstLine + ")"));
        } catch (YamlTree.SyntaxError e) {
            throw new ConfigException(source, List.of(
                    new Problem(source, "", "malformed YAML: " + e.getMessage(), e.line(), e.column())));
        }
        ConfigSection top = new ConfigSection(ctx, root, "", 1, TOP_KEYS);
        SmppServerConfig smpp = new SmppSectionReader(ctx).read(top.section("smpp", SmppSectionReader.KEYS));
        HttpConfig http = new HttpSectionReader(ctx).read(top.section("http", HttpSectionReader.KEYS));
        DatabaseConfig database = new DatabaseSectionReader(ctx).read(top.section("database",
                DatabaseSectionReader.KEYS));
        DispatchConfig dispatch = new DispatchSectionReader(ctx).read(top.section("dispatch",
                DispatchSectionReader.KEYS), smpp);
        ReceiptConfig receipts = new ReceiptsSectionReader(ctx).read(top.section("receipts",
                ReceiptsSectionReader.KEYS));
        ExpiryConfig expiry = new ExpirySectionReader(ctx).read(top.section("expiry", ExpirySectionReader.KEYS));
        List<CarrierConfig> carriers = new CarriersSectionReader(ctx).read(top, dispatch, expiry);
        AuthConfig auth = new AuthSectionReader(ctx).read(top.section("auth", AuthSectionReader.KEYS));
        BouncesConfig bounces = new BouncesSectionReader(ctx).read(top.section("bounces", BouncesSectionReader.KEYS));
        SendConfig send = new SendSectionReader(ctx).read(top.section("send", SendSectionReader.KEYS));
        WebhooksConfig webhooks = new WebhooksSectionReader(ctx).read(top.section("webhooks",
                WebhooksSectionReader.KEYS));
        RepliesConfig replies = new RepliesSectionReader(ctx).read(top.section("replies", RepliesSectionReader.KEYS));
        ClusterConfig cluster = new ClusterSectionReader(ctx).read(top.section("cluster", ClusterSectionReader.KEYS));
        RetentionConfig retention = new RetentionSectionReader(ctx).read(top.section("retention",
                RetentionSectionReader.KEYS), dispatch, expiry);
        top.checkUnknownKeys();
        crossCheck(smpp, http);
        ctx.throwIfAny();
        return new GatewayConfig(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces, send,
                webhooks, replies, cluster, retention);
    }

    private void crossCheck(SmppServerConfig smpp, HttpConfig http) {
        SmppTlsConfig tls = smpp.tls();
        if (tls != null && tls.port() != 0 && tls.port() == http.port() && sameListener(smpp.host(), http.host())) {
            ctx.problem("smpp.tls.port", 0, "smpp.tls.port and http.port are both " + tls.port()
                    + "; they must differ");
        }
        if (smpp.port() != 0 && smpp.port() == http.port() && sameListener(smpp.host(), http.host())) {
            boolean fromEnv = ctx.env("DLRGATE_HTTP_PORT") != null || ctx.env("DLRGATE_SMPP_PORT") != null;
            if (fromEnv) {
                ctx.envProblem(ctx.env("DLRGATE_HTTP_PORT") != null ? "DLRGATE_HTTP_PORT" : "DLRGATE_SMPP_PORT",
                        "smpp.port and http.port are both " + smpp.port() + "; they must differ");
            } else {
                ctx.problem("http.port", 0, "smpp.port and http.port are both " + smpp.port() + "; they must differ");
            }
        }
    }

    private static boolean sameListener(String a, String b) {
        return a.equals(b) || isWildcard(a) || isWildcard(b);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}
