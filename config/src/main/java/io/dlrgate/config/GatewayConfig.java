package io.dlrgate.config;

import java.util.List;
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
        List<CarrierConfig> carriers) {

    public GatewayConfig {
        carriers = List.copyOf(carriers);
    }

    public Optional<CarrierConfig> carrierBySystemId(String systemId) {
        return carriers.stream().filter(c -> c.systemId().equals(systemId)).findFirst();
    }

    public Optional<CarrierConfig> carrier(String id) {
        return carriers.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
