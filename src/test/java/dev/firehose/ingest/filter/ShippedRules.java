package dev.firehose.ingest.filter;

import java.util.Map;

import dev.firehose.ingest.config.FilterSettings;
import dev.firehose.ingest.config.SettingsReader;
import dev.firehose.ingest.testsupport.ShippedProperties;

/** The rules as the service builds them from the defaults in application.properties, optionally with changes. */
final class ShippedRules {

    private ShippedRules() {
    }

    static FilterSettings settings(Map<String, String> changes) {
        Map<String, String> p = ShippedProperties.defaults();
        p.putAll(changes);
        return new SettingsReader(p::get).read().filters();
    }

    static PostRules defaults() {
        return StandardRules.build(settings(Map.of()));
    }

    static PostRules with(Map<String, String> changes) {
        return StandardRules.build(settings(changes));
    }
}
