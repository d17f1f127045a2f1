package io.dlrgate.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated configuration of one gateway process. Built only by {@link ConfigLoader}, so every
 * instance that exists has passed validation.
 */
public record GatewayConfig(
        SmppServerConfig smpp,
        HttpConfig http,
        DatabaseConfig database,
        DispatchConfig dispatch,
        ReceiptConfig receipts,
        ExpiryConfig expiry,
        List<CarrierConfig> carriers,
        AuthConfig auth,
        BouncesConfig bounces,
        SendConfig send,
        WebhooksConfig webhooks,
        RepliesConfig replies,
        ClusterConfig cluster,
        RetentionConfig retention) {

    public GatewayConfig {
        retention = retention == null ? RetentionConfig.defaults() : retention;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        webhooks = webhooks == null ? WebhooksConfig.defaults() : webhooks;
        replies = replies == null ? RepliesConfig.defaults() : replies;
        send = send == null ? SendConfig.defaults() : send;
        carriers = List.copyOf(carriers);
        auth = auth == null ? AuthConfig.defaults() : auth;
        bounces = bounces == null ? BouncesConfig.defaults() : bounces;
    }

    /** Without a {@code retention} section: 400 days, two months of partitions ahead. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers, AuthConfig auth,
                         BouncesConfig bounces, SendConfig send, WebhooksConfig webhooks, RepliesConfig replies,
                         ClusterConfig cluster) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces, send, webhooks, replies, cluster,
                null);
    }

    /** Without a {@code cluster} section: the default heartbeat and lease. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers, AuthConfig auth,
                         BouncesConfig bounces, SendConfig send, WebhooksConfig webhooks, RepliesConfig replies) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces, send, webhooks, replies, null);
    }

    /** Without a {@code replies} section: the default opt-out and opt-in keywords. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers, AuthConfig auth,
                         BouncesConfig bounces, SendConfig send, WebhooksConfig webhooks) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces, send, webhooks, null, null);
    }

    /** Without a {@code webhooks} section: every webhook setting at its default. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers, AuthConfig auth,
                         BouncesConfig bounces, SendConfig send) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces, send, null, null, null);
    }

    /** Without a {@code send} section: national-format numbers are invalid. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers, AuthConfig auth,
                         BouncesConfig bounces) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, auth, bounces, null, null, null, null);
    }

    /** Without a {@code bounces} section: every bounce setting at its default. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers, AuthConfig auth) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, auth, null, null, null, null, null);
    }

    /** Without an {@code auth} section: no users, {@code /metrics} public. */
    public GatewayConfig(SmppServerConfig smpp, HttpConfig http, DatabaseConfig database, DispatchConfig dispatch,
                         ReceiptConfig receipts, ExpiryConfig expiry, List<CarrierConfig> carriers) {
        this(smpp, http, database, dispatch, receipts, expiry, carriers, null, null, null, null, null, null);
    }

    public Optional<CarrierConfig> carrierBySystemId(String systemId) {
        return carriers.stream().filter(c -> systemId != null && systemId.equals(c.systemId())).findFirst();
    }

    public Optional<CarrierConfig> carrier(String id) {
        return carriers.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * The carrier a number is routed to: the carrier holding the longest prefix the number starts with.
     * Prefixes are unique across carriers (validated), so the answer is never ambiguous; nested prefixes on
     * different carriers ({@code +44} on one, {@code +447} on another) are allowed and the longer one wins.
     *
     * @param e164 a number in E.164 form, {@code +447700900123}
     */
    public Optional<CarrierConfig> route(String e164) {
        CarrierConfig best = null;
        int bestLength = -1;
        if (e164 == null) {
            return Optional.empty();
        }
        for (CarrierConfig c : carriers) {
            for (String p : c.prefixes()) {
                if (p.length() > bestLength && e164.startsWith(p)) {
                    best = c;
                    bestLength = p.length();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The stat-to-tab mapping that applies to a carrier's receipts: the global one with its overrides. */
    public Map<String, Tab> statMappingFor(CarrierConfig carrier) {
        Map<String, Tab> m = new HashMap<>(receipts.statMapping());
        m.putAll(carrier.statMapping());
        return Map.copyOf(m);
    }
}
