package io.dlrgate.gateway.send;

import io.dlrgate.config.CarrierConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the carrier for a number by prefix, longest prefix first ({@code +447} beats {@code +44}). Config
 * validation guarantees no prefix is routed to two carriers, so the choice is unambiguous.
 */
public final class CarrierRoutes {

    private record Route(String prefix, CarrierConfig carrier) {
    }

    private final List<Route> routes;

    public CarrierRoutes(List<CarrierConfig> carriers) {
        this.routes = carriers.stream()
                .flatMap(c -> c.prefixes().stream().map(p -> new Route(p, c)))
                .sorted(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed())
                .toList();
    }

    /** The carrier whose longest prefix starts this E.164 number, if any. */
    public Optional<CarrierConfig> carrierFor(String e164) {
        for (Route r : routes) {
            if (e164.startsWith(r.prefix())) {
                return Optional.of(r.carrier());
            }
        }
        return Optional.empty();
    }
}
