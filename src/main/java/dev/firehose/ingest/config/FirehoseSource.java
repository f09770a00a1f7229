package dev.firehose.ingest.config;

/**
 * Where posts come from ({@code FIREHOSE_SOURCE}): the relay firehose, or a Jetstream instance. Each has its route
 * file ({@code routes/<id>.yaml}, only the selected one is loaded) and its own cursor key, since their positions are
 * of different kinds (a relay seq, a Jetstream {@code time_us}): switching sources never hands one's cursor to the
 * other.
 */
public enum FirehoseSource {
    RELAY("relay", ""),
    JETSTREAM("jetstream", ".jetstream");

    private final String id;
    private final String keySuffix;

    FirehoseSource(String id, String keySuffix) {
        this.id = id;
        this.keySuffix = keySuffix;
    }

    /** The setting's value, and the route file's name without {@code .yaml}. */
    public String id() {
        return id;
    }

    /** The KV key of this source's cursor: {@code SERVICE_NAME} for the relay (as ever), with a suffix otherwise. */
    public String cursorKey(String serviceName) {
        return serviceName + keySuffix;
    }

    /** The source named {@code id} exactly (it is also a file name), or null. */
    public static FirehoseSource ofId(String id) {
        for (FirehoseSource source : values()) {
            if (source.id.equals(id)) {
                return source;
            }
        }
        return null;
    }
}
